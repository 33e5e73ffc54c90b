"""Files attached to write-ups: recognised by content, stored once per hash, served to readers only."""
