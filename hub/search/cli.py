"""``hub index rebuild|update|check|optimize``: the search index from the command line, with progress bars;
``hub searchlog prune``: the search log's retention."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from hub.extensions import db
from hub.models import Practice
from hub.search.check import check_index
from hub.search.searchlog import prune_search_log
from hub.search.sync import get_index

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar  # the type click.progressbar returns


def init_app(app: Flask) -> None:
    app.cli.add_command(index_group)
    app.cli.add_command(searchlog_group)


@click.group("index")
def index_group() -> None:
    """The search index (derived from the database, rebuildable at any time)."""


@index_group.command("rebuild")
@click.option(
    "--procs", type=click.IntRange(min=1), default=None,
    help="Processes that build the index [default: one per CPU core].",
)
@with_appcontext
def rebuild_command(procs: int | None) -> None:
    """Build a new index in a new folder and swap it in; searches keep working meanwhile."""
    index = get_index(current_app)
    with Session(bind=db.engine) as session:
        total = session.scalar(sa.select(sa.func.count(Practice.id))) or 0
        bar: ProgressBar[int]  # counts steps: no iterable to take the item type from
        with click.progressbar(length=max(total, 1), label="Indexing", file=sys.stderr) as bar:
            count = index.rebuild(session, progress=bar.update, procs=procs)
    click.echo(f"Index rebuilt: {count} practices in {index.folder().name}.")


@index_group.command("update")
@with_appcontext
def update_command() -> None:
    """Apply pending outbox rows (changes committed but not yet indexed)."""
    index = get_index(current_app)
    with Session(bind=db.engine) as session:
        applied = index.apply_pending(session)
        left = index.pending_count(session)
    click.echo(f"Applied {applied} change(s); {left} pending.")
    if left:
        raise SystemExit(1)


@index_group.command("check")
@with_appcontext
def check_command() -> None:
    """Compare index and database; exit status 1 on any drift."""
    index = get_index(current_app)
    with Session(bind=db.engine) as session:
        total = session.scalar(sa.select(sa.func.count(Practice.id))) or 0
        bar: ProgressBar[int]  # counts steps: no iterable to take the item type from
        with click.progressbar(length=max(total, 1), label="Checking", file=sys.stderr) as bar:
            report = check_index(index, session, progress=bar.update)
    for line in report.problems:
        click.echo(line)
    click.echo(report.summary())
    if not report.ok:
        raise SystemExit(1)


@index_group.command("optimize")
@with_appcontext
def optimize_command() -> None:
    """Merge all segments into one and drop deleted documents (nightly, e.g. from cron)."""
    index = get_index(current_app)
    before = index.segment_count()
    index.optimize()
    click.echo(f"Index optimised: {before} segment(s) merged into {index.segment_count()}.")


@click.group("searchlog")
def searchlog_group() -> None:
    """The search log (queries, filters and hit counts for coordinators)."""


@searchlog_group.command("prune")
@click.option("--days", type=int, default=None, help="Keep this many days [SEARCH_LOG_RETENTION_DAYS].")
@with_appcontext
def prune_command(days: int | None) -> None:
    """Delete search log entries older than the retention period (daily, e.g. from the scheduler)."""
    keep = int(current_app.config["SEARCH_LOG_RETENTION_DAYS"]) if days is None else days
    deleted = prune_search_log(keep)
    click.echo(f"Search log: {deleted} entries older than {keep} days deleted." if keep > 0 else
               "Search log: retention is 0, nothing deleted.")
