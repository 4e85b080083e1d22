"""Small widgets and helpers shared by the areas of the main window."""
