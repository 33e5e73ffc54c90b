"""The hub's own commands, registered on every app (``hub.__main__`` is the ``hub`` command itself).

``hub db upgrade`` (schema), ``hub init`` (schema + demo corpus), ``hub import DIR``,
``hub user add|passwd|role``, ``hub digest send``, ``hub schedule``, ``hub run`` …
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from hub import schedule
from hub.auth import operations as accounts
from hub.exchange import backup
from hub.exchange.exporter import ExportError, export_folder, export_size
from hub.exchange.importer import BULK_INDEX_FROM, ImportReport, import_folder
from hub.exchange.reader import InvalidContent
from hub.exchange.yamlio import FormatError, load_yaml, read_text
from hub.extensions import db
from hub.following.digest import send_digests
from hub.models import Centre, Practice, User
from hub.search.cli import rebuild_command
from hub.vocabulary import Role

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar  # the type click.progressbar returns


def init_app(app: Flask) -> None:
    for command in (
        init_command,
        import_command,
        export_command,
        backup_command,
        restore_command,
        digest_group,
        schedule_command,
        user_group,
    ):
        app.cli.add_command(command)


@click.command("init")
@click.option(
    "--demo/--no-demo",
    default=True,
    show_default=True,
    help="On an empty hub load the demo corpus and set the demo passwords (--no-demo: migrate only).",
)
@click.option(
    "--content",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Demo corpus folder (default: the demo corpus shipped with the hub).",
)
@with_appcontext
def init_command(demo: bool, content: Path | None) -> None:
    """Migrate the database; on an empty hub load the demo corpus and set the demo passwords."""
    upgrade()
    if not demo:
        click.echo("Database at the newest schema.")
        return
    content = content or Path(current_app.config["CONTENT_DIR"])
    if db.session.scalar(sa.select(sa.func.count(Practice.id))) or db.session.scalar(
        sa.select(sa.func.count(Centre.id))
    ):
        click.echo("The hub already holds data: demo corpus not loaded again.")
    else:
        report = _import_with_progress(content)
        click.echo(f"Demo corpus loaded: {report}.")
        _set_demo_passwords(content)
    _print_logins(content)


@click.command("import")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--update-accounts",
    is_flag=True,
    help="Also change the e-mail, role and centre of existing accounts as the folder says.",
)
@with_appcontext
def import_command(folder: Path, update_accounts: bool) -> None:
    """Import a content folder (CONTENT-FORMAT.md). All or nothing; names every problem.

    Existing accounts keep their e-mail, role and centre unless --update-accounts is given."""
    report = _import_with_progress(folder, update_accounts=update_accounts)
    click.echo(f"Imported: {report}.")
    if report.accounts_kept:
        click.echo(
            f"{len(report.accounts_kept)} change(s) of existing accounts not applied "
            "(give --update-accounts to apply them):"
        )
        for change in report.accounts_kept:
            click.echo(f"  {change}")


@click.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Overwrite the content files of a non-empty folder.")
@with_appcontext
def export_command(folder: Path, replace: bool) -> None:
    """Export the whole hub as a content folder (CONTENT-FORMAT.md), without passwords."""
    try:
        bar: ProgressBar[int]  # counts steps: no iterable to take the item type from
        with click.progressbar(length=export_size(), label="Exporting", file=sys.stderr) as bar:
            report = export_folder(folder, replace=replace, progress=bar.update)
    except ExportError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Exported: {report}.")


@click.command("backup")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(folder: Path) -> None:
    """Full backup (all tables incl. history and passwords, plus uploads) into an empty FOLDER."""
    try:
        bar: ProgressBar[int]  # counts steps: no iterable to take the item type from
        with click.progressbar(
            length=len(db.metadata.sorted_tables), label="Backing up", file=sys.stderr
        ) as bar:
            counts = backup.backup(folder, progress=bar.update)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backup written to {folder}: {sum(counts.values())} rows in {len(counts)} tables.")


@click.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def restore_command(folder: Path) -> None:
    """Restore a backup into an empty database, migrate it to the newest schema."""
    try:
        bar: ProgressBar[int]  # counts steps: no iterable to take the item type from
        with click.progressbar(
            length=len(db.metadata.sorted_tables), label="Restoring", file=sys.stderr
        ) as bar:
            counts = backup.restore(folder, progress=bar.update)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored {sum(counts.values())} rows in {len(counts)} tables.")

    click.get_current_context().invoke(rebuild_command)  # the index is derived data: build it anew


def _import_with_progress(folder: Path, *, update_accounts: bool = False) -> ImportReport:
    total = max(1, _count_files(folder))
    try:
        bar: ProgressBar[int]  # counts steps: no iterable to take the item type from
        with click.progressbar(length=total, label="Importing", file=sys.stderr) as bar:
            return import_folder(folder, progress=bar.update, update_accounts=update_accounts)
    except InvalidContent as error:
        click.echo(f"Import refused, nothing was written. {len(error.problems)} problem(s):", err=True)
        for problem in error.problems:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(1) from None


def _count_files(folder: Path) -> int:
    files = [
        p
        for sub in ("practices", "collections")
        if (folder / sub).is_dir()
        for p in (folder / sub).glob("*.md")
    ]
    practices = sum(1 for p in files if p.parent.name == "practices")
    indexing = practices if practices >= BULK_INDEX_FROM else 0  # the import then rebuilds the index
    return len(files) + indexing + _entries(folder / "users.yml") + _entries(folder / "centres.yml") + 1


def _entries(path: Path) -> int:
    """How many entries a list file has, for the progress bar; 0 when unreadable (the import says why)."""
    try:
        data = load_yaml(read_text(path)) if path.exists() else []
    except FormatError:
        return 0
    return len(data) if isinstance(data, list) else 0


def _demo_usernames(content: Path) -> list[str]:
    users = content / "users.yml"
    return (
        [entry["username"] for entry in (load_yaml(users.read_text("utf-8")) or [])] if users.exists() else []
    )


def _set_demo_passwords(content: Path) -> None:
    password = current_app.config["DEMO_PASSWORD"]
    for user in db.session.scalars(sa.select(User).where(User.username.in_(_demo_usernames(content)))):
        user.set_password(password)
    db.session.commit()


def _print_logins(content: Path) -> None:
    names = _demo_usernames(content)
    users = db.session.scalars(sa.select(User).where(User.username.in_(names)).order_by(User.role)).all()
    if not users:
        return
    click.echo(f"\nDemo logins (password: {current_app.config['DEMO_PASSWORD']}):")
    for user in users:
        click.echo(f"  {user.username:<12} {user.role.value:<12} {user.name}")


@click.group("digest")
def digest_group() -> None:
    """E-mail digests of notifications."""


@digest_group.command("send")
@with_appcontext
def digest_send() -> None:
    """Send the daily/weekly digests that are due (`hub schedule` runs this hourly)."""
    report = send_digests()
    where = "via SMTP" if report.delivery == "smtp" else f"as .eml files in {current_app.instance_path}/mail"
    click.echo(f"Sent {report.users} digest(s) with {report.notifications} notification(s) {where}.")
    if report.failed:
        click.echo(f"{len(report.failed)} digest(s) not sent (tried again next run):", err=True)
        for failure in report.failed:
            click.echo(f"  {failure}", err=True)
        raise SystemExit(1)


@click.command("schedule")
@click.option("--once", is_flag=True, help="Run every job once now and exit (for tests and cron).")
@with_appcontext
def schedule_command(once: bool) -> None:
    """Run the periodic jobs (digests, index check, backups …); one host at a time holds the lock."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # current_app is typed as the Flask app, not werkzeug's LocalProxy
    schedule.prepare_metrics_folder()
    with schedule.leader_lock(app, wait=not once) as held:
        if not held:
            click.echo("Another scheduler holds the lock: nothing run.")
            return
        last_run: dict[str, float] = {}
        while True:
            for name, outcome in schedule.run_due(app, last_run, time.monotonic()):
                click.echo(f"{name}: {outcome}")
            if once:
                return
            time.sleep(schedule.seconds_to_next(app, last_run, time.monotonic()))


@click.group("user")
def user_group() -> None:
    """Manage accounts."""


@user_group.command("add")
@click.argument("username")
@click.option("--name", required=True)
@click.option("--email", required=True)
@click.option(
    "--role", type=click.Choice([r.value for r in Role]), default=Role.READER.value, show_default=True
)
@click.option("--centre", default=None, help="Slug of the user's centre.")
@click.password_option()
@with_appcontext
def user_add(username: str, name: str, email: str, role: str, centre: str | None, password: str) -> None:
    """Create an account."""
    try:
        accounts.create_user(None, username, name, email, Role(role), _centre(centre), password)
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {username} ({role}).")


@user_group.command("passwd")
@click.argument("username")
@click.password_option()
@with_appcontext
def user_passwd(username: str, password: str) -> None:
    """Set an account's password."""
    try:
        accounts.set_password(None, _user(username), password)
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Password of {username} set.")


@user_group.command("role")
@click.argument("username")
@click.argument("role", type=click.Choice([r.value for r in Role]))
@with_appcontext
def user_role(username: str, role: str) -> None:
    """Change an account's role."""
    user = _user(username)
    accounts.update_user(None, user, name=user.name, email=user.email, role=Role(role), centre=user.centre,
                         active=user.active)
    db.session.commit()
    click.echo(f"{username} is now {role}.")


def _user(username: str) -> User:
    user = db.session.scalars(sa.select(User).where(User.username == username)).one_or_none()
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    return user


def _centre(slug: str | None) -> Centre | None:
    if slug is None:
        return None
    centre = db.session.scalars(sa.select(Centre).where(Centre.slug == slug)).one_or_none()
    if centre is None:
        raise click.ClickException(f"no centre {slug!r}")
    return centre
