"""Analyses that need a library from the registry (kept out of ``core``,
which is stdlib only): language identification of mentions."""
