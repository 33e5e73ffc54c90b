"""Centres, sectors, topics and tags: the pages that group practices."""
