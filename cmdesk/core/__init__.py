"""cmdesk.core layer."""
