"""Images uploaded for write-ups."""
