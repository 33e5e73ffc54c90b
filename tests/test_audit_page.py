"""Issue 14, item 7: the audit log for admins (/admin/audit).

Every audited action with actor, time, object and details; filters by actor, action and date;
pages; a CSV download with the same filters that a spreadsheet cannot run as formulas.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from hub.extensions import db
from hub.models import AuditEvent
from hub.models._types import utcnow
from tests.factories import user
from tests.support import login


def _events(n: int, action: str = "test.thing", actor: str | None = "mkoch", **details: object) -> None:
    who = user(actor) if actor else None
    for i in range(n):
        event = AuditEvent(actor=who, action=action, object_type="test", object_key=f"objekt-{i}")
        event.details = details
        db.session.add(event)
    db.session.commit()


@pytest.mark.parametrize(("username", "status"), [("mkoch", 403), ("aschmidt", 403), ("jlehmann", 403)])
def test_only_admins_see_the_audit_log(client, session, login_as, username, status):
    """Rule: the audit log is for admins only (coordinators included in the refusal)."""
    login_as(username)
    assert client.get("/admin/audit").status_code == status
    assert client.get("/admin/audit.csv").status_code == status


def test_filters_by_actor_action_and_date_and_pages(app, client, session, login_as):
    """Rule: filter by actor, action and date; pages of PER_PAGE rows."""
    _events(app.config["PER_PAGE"] + 3, action="test.many")
    _events(1, action="test.other", actor=None, why="Grund")
    login_as("admin")
    page = client.get("/admin/audit?action=test.many").get_data(as_text=True)
    assert page.count("<code>test.many</code>") == app.config["PER_PAGE"] and 'rel="next"' in page
    second = client.get("/admin/audit?action=test.many&page=2").get_data(as_text=True)
    assert second.count("<code>test.many</code>") == 3
    by_cli = client.get("/admin/audit?actor=-").get_data(as_text=True)
    assert "<code>test.other</code>" in by_cli and "why: Grund" in by_cli and "<code>test.many" not in by_cli
    assert "<code>test.many" not in client.get("/admin/audit?actor=admin").get_data(as_text=True)
    tomorrow = (utcnow() + timedelta(days=1)).date().isoformat()
    today = utcnow().date().isoformat()
    assert "<code>test.many" not in client.get(f"/admin/audit?since={tomorrow}").get_data(as_text=True)
    assert "<code>test.many" in client.get(f"/admin/audit?since={today}&until={today}").get_data(as_text=True)


def test_bad_filters_get_german_field_errors(client, session, login_as):
    """Rule: a bad date or unknown action is a field error (400), not a crash."""
    login_as("admin")
    response = client.get("/admin/audit?since=gestern&action=gibt.es.nicht")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert page.count('aria-invalid="true"') == 2 and 'id="since-errors"' in page
    assert client.get("/admin/audit.csv?since=gestern").status_code == 400


def test_csv_download_is_spreadsheet_safe_and_filtered(app, client, session, login_as):
    """Rule: the CSV has the filtered rows, and a cell a spreadsheet would run starts with an apostrophe."""
    _events(1, action="test.csv", note="=HYPERLINK(\"http://böse.example\")")
    _events(1, action="test.elsewhere")
    login_as("admin")
    response = client.get("/admin/audit.csv?action=test.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:3] == ["time (UTC)", "actor", "action"]
    assert [r[2] for r in rows[1:]] == ["test.csv"]
    assert rows[1][1] == "mkoch" and rows[1][5].startswith('{"note"')
    evil = db.session.query(AuditEvent).filter_by(action="test.csv").one()
    evil.object_key = "=1+1"
    db.session.commit()
    rows = list(csv.reader(io.StringIO(client.get("/admin/audit.csv?action=test.csv").get_data(as_text=True))))
    assert rows[1][4] == "'=1+1"


def test_a_failed_login_is_shown_as_by_nobody_logged_in(client, session, login_as):
    """Rule: refused logins have no actor, and the page does not call them the command line's."""
    assert login(client, "niemand-da", "falsch").status_code == 401
    login_as("admin")
    page = client.get("/admin/audit?action=user.login-failed").get_data(as_text=True)
    row = page[page.index("<code>user.login-failed</code>") - 200:page.index("<code>user.login-failed</code>")]
    assert "nicht angemeldet" in row and "Kommandozeile" not in row
    assert "user niemand-da" in page
