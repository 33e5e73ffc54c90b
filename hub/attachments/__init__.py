"""Files attached to write-ups: recognised by content, stored once per hash, served to readers only,
their text extracted after the commit for search."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from hub.attachments import cli, extract

    cli.init_app(app)
    extract.init_app(app)
