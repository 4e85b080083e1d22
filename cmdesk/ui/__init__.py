"""The PySide6 interface: widgets and models over the services (no SQL, no HTTP here)."""
