"""cmdesk.net layer."""
