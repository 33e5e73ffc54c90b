"""``hub uploads prune|extract`` (stored files nothing refers to; pending text) and
``hub draft-from-files`` (Word and ODT files to drafts)."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import with_appcontext

from hub.attachments.drafts import create_draft
from hub.attachments.extract import extract_pending
from hub.attachments.files import AttachmentRefused
from hub.attachments.forms import refusal_message
from hub.attachments.prune import prune, unreferenced
from hub.auth.permissions import PermissionDenied
from hub.extensions import db
from hub.models import Centre, User
from hub.practices.operations import UnknownReference


def init_app(app: Flask) -> None:
    app.cli.add_command(uploads_group)
    app.cli.add_command(draft_from_files_command)


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


@uploads_group.command("extract")
@with_appcontext
def extract_command() -> None:
    """Extract the text of attached files still pending (after a crash or restart), for search."""
    click.echo(f"{extract_pending()} files read")


@click.command("draft-from-files")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--centre", "centre_slug", required=True, help="Slug of the centre the drafts belong to.")
@click.option("--author", "username", required=True, help="Account the drafts are written by.")
@with_appcontext
def draft_from_files_command(folder: Path, centre_slug: str, username: str) -> None:
    """A draft write-up from every DOCX/ODT file in FOLDER, the original attached — all or nothing."""
    actor = db.session.scalars(sa.select(User).where(User.username == username)).one_or_none()
    centre = db.session.scalars(sa.select(Centre).where(Centre.slug == centre_slug)).one_or_none()
    if actor is None or centre is None:
        raise click.ClickException(f"unknown author {username!r} or centre {centre_slug!r}")
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    problems: list[str] = []
    with click.progressbar(files, label="Entwürfe", item_show_func=lambda p: p.name if p else "") as bar:
        for path in bar:
            try:
                with db.session.begin_nested():
                    create_draft(actor, centre, path.read_bytes(), path.name)
            except AttachmentRefused as refused:
                problems.append(f"{path.name}: {refusal_message(refused.reason)}")
            except (PermissionDenied, UnknownReference, ValueError) as error:
                problems.append(f"{path.name}: {error}")
    if problems:
        db.session.rollback()
        for problem in problems:
            click.echo(problem, err=True)
        raise click.ClickException(f"{len(problems)} of {len(files)} files refused; no draft was created")
    db.session.commit()
    click.echo(f"{len(files)} drafts created for {centre.name}")
