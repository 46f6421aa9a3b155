"""The small core every domain builds on: settings, Korean time, the warehouse, formatting."""
