"""Files attached to write-ups: recognised by content, stored once per hash, served to readers only,
their text extracted after the commit for search."""

from __future__ import annotations

from flask import Flask

from hub.attachments import cli, extract


def init_app(app: Flask) -> None:
    cli.init_app(app)
    extract.init_app(app)
