"""REST API v1: JSON over HTTP, the same permissions as the pages (operations layer)."""
