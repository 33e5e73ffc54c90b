"""``hub uploads prune``: remove stored files (attachments and images) nothing refers to any more."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from hub.attachments.prune import prune, unreferenced
from hub.extensions import db


def init_app(app: Flask) -> None:
    app.cli.add_command(uploads_group)


@click.group("uploads")
def uploads_group() -> None:
    """Stored files: attachments and images."""


@uploads_group.command("prune")
@click.option("--apply", "apply_", is_flag=True, help="Delete them (without it: only list what would go).")
@with_appcontext
def prune_command(apply_: bool) -> None:
    """Remove files that no practice, revision or text refers to (a dry run unless --apply)."""
    report = unreferenced()
    paths = [*report.files, *report.images]
    for path in paths:
        click.echo(f"{'removed' if apply_ else 'would remove'}: {path}")
    size = report.bytes
    if apply_:
        prune(report)
        db.session.commit()
    verb = "removed" if apply_ else "unreferenced (dry run; --apply removes them)"
    click.echo(f"{len(paths)} files, {size} bytes {verb}")
