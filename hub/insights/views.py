"""Evidence matrix (members) and the coordinators' dashboard, each table also as CSV."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from hub.auth.permissions import Action, can
from hub.insights import dashboard
from hub.insights.charts import bar_chart
from hub.insights.csvout import csv_response
from hub.insights.evidence import RESULTS, evidence_matrix, matrix_csv_rows
from hub.paging import MAX_PAGE
from hub.practices.pages import ListPagination
from hub.practices.workflow import overdue_everywhere, review_queue
from hub.vocabulary import GERMAN_STATES, label

bp = Blueprint("insights", __name__)
EVIDENCE_ROWS = 100  # practices per page of the evidence matrix


# --- evidence matrix ---------------------------------------------------------------------------
def _matrix() -> Any:
    args = request.args
    matrix = evidence_matrix(
        current_user,
        topic=args.get("topic") or None,
        tag=args.get("tag") or None,
        collection=args.get("collection") or None,
        sort=args.get("sort", "title"),
    )
    return matrix


@bp.get("/evidence")
@login_required
def evidence() -> str:
    matrix = _matrix() if any(request.args.get(k) for k in ("topic", "tag", "collection")) else None
    if matrix is None and any(request.args.get(k) for k in ("topic", "tag", "collection")):
        abort(404)
    pagination = None
    if matrix is not None:  # a topic of a big hub has thousands of practices: pages of rows, CSV whole
        page = min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)
        rows = matrix.rows[(page - 1) * EVIDENCE_ROWS : page * EVIDENCE_ROWS]
        pagination = ListPagination(page=page, per_page=EVIDENCE_ROWS, max_per_page=None, error_out=False,
                                    items=rows, total=len(matrix.rows))
    return render_template(
        "insights/evidence.html", matrix=matrix, pagination=pagination, topics=dashboard.topics(),
        results=RESULTS, args=request.args,
    )


@bp.get("/evidence.csv")
@login_required
def evidence_csv() -> Response:
    matrix = _matrix()
    if matrix is None:
        abort(404)
    return csv_response("evidenzmatrix.csv", matrix_csv_rows(matrix))


# --- dashboard -----------------------------------------------------------------------------------
def _require_dashboard() -> None:
    if not can(current_user, Action.VIEW_INSIGHTS):
        abort(403)


def _filters() -> dashboard.Filters:
    def day(name: str) -> date | None:
        try:
            return date.fromisoformat(request.args.get(name, ""))
        except ValueError:
            return None

    centre = request.args.get("centre") or None
    state = request.args.get("state") or None
    return dashboard.Filters(
        centre=centre if centre in {c.slug for c in dashboard.centres()} else None,
        state=state if state in GERMAN_STATES else None,
        start=day("from"),
        end=day("to"),
    )


def _tables(f: dashboard.Filters) -> dict[str, list[list[Any]]]:  # cells: a text or a count
    """Every table of the dashboard as rows (header first): the page and the CSV files show these."""
    sectors = dashboard.sectors()
    codes = [s.code for s in sectors]
    by_centre = dashboard.coverage_centre_sector(f)
    by_topic = dashboard.coverage_topic_sector(f)
    quarters, per_quarter = dashboard.publications_per_quarter(f)
    outcomes = dashboard.outcome_distribution(f)
    return {
        "coverage-centres": [[_("Centre"), *codes, _("Total")]]
        + [
            [
                c.name,
                *(by_centre.get(c.slug, {}).get(x, 0) for x in codes),
                sum(by_centre.get(c.slug, {}).values()),
            ]
            for c in dashboard.centres()
        ],
        "coverage-topics": [[_("Topic"), *codes]]
        + [[t.name, *(by_topic.get(t.slug, {}).get(x, 0) for x in codes)] for t in dashboard.topics()],
        "publications": [[_("Centre"), *quarters]]
        + [[c.name, *(per_quarter.get(c.slug, {}).get(q, 0) for q in quarters)] for c in dashboard.centres()],
        "outcomes": [[_("Result"), _("Own outcome"), _("Experience reports")]]
        + [
            [
                label(k) if k != "none" else _("No outcome given"),
                outcomes["own"][k],
                outcomes["reports"].get(k, ""),
            ]
            for k in ("worked", "partly", "failed", "none")
        ],
        "reused": [[_("Practice"), _("Experience reports")]]
        + [[p.title, n] for p, n in dashboard.most_reused(f)],
        **{
            f"{kind}-{days}": [[_("Search words"), _("Times"), _("Results")]]
            + [list(row) for row in dashboard.searches(days, zero_only=kind == "zero-searches")]
            for kind in ("top-searches", "zero-searches")
            for days in (30, 90)
        },
    }


@bp.get("/insights")
@login_required
def index() -> str:
    _require_dashboard()
    f = _filters()
    tables = _tables(f)
    header, *rows = tables["publications"]
    quarters_total = [(str(q), sum(int(row[i + 1]) for row in rows)) for i, q in enumerate(header[1:])]
    charts = {
        "publications": bar_chart(
            _("Publications per quarter"),
            _("Number of practices first published in each quarter, all selected centres together."),
            quarters_total,
        ),
        "outcomes": bar_chart(
            _("Outcomes of published practices"),
            _("How many published practices report that they worked, partly worked or did not work."),
            [(str(row[0]), int(row[1])) for row in tables["outcomes"][1:]],
        ),
        "reused": bar_chart(
            _("Most re-used practices"),
            _("Practices with the most experience reports from other centres."),
            [(str(row[0])[:40], int(row[1])) for row in tables["reused"][1:]],
        ),
    }
    return render_template(
        "insights/dashboard.html",
        f=f,
        tables=tables,
        charts=charts,
        centres=dashboard.centres(),
        states=GERMAN_STATES,
        review_queue=review_queue(),
        overdue=overdue_everywhere(),
        query=request.query_string.decode(),
    )


@bp.get("/insights/<name>.csv")
@login_required
def table_csv(name: str) -> Response:
    _require_dashboard()
    tables = _tables(_filters())
    if name not in tables:
        abort(404)
    return csv_response(f"{name}.csv", tables[name])
