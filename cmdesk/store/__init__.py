"""cmdesk.store layer."""
