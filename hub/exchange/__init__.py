"""The content folder format (CONTENT-FORMAT.md): reading, validating and importing a hub folder."""
