"""cmdesk.services layer."""
