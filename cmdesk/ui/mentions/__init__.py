"""The Mentions area of the main window: inbox, detail, quick reply, term and template editors."""
