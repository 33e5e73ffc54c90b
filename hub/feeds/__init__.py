"""Atom feeds of new and updated published public practices."""
