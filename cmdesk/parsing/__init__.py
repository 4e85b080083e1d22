"""cmdesk.parsing layer."""
