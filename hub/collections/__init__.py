"""Curated collections of practices."""
