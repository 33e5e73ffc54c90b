"""The review workflow: every transition allowed or refused per role, via operations and via HTTP."""

from __future__ import annotations

from datetime import date

import pytest

from hub.auth.permissions import PermissionDenied
from hub.extensions import db
from hub.models import StatusChange
from hub.practices import workflow
from hub.practices.operations import practice_data, update_practice
from hub.practices.workflow import (
    InvalidTransition,
    Transition,
    confirm_still_valid,
    next_review_date,
    overdue,
    recent_changes,
    review_queue,
    transition,
)
from hub.vocabulary import Status
from tests.factories import make_practice, user
from tests.support import csrf_token

# The practice belongs to zz-sachsen: tbauer is a contributor there, aschmidt one elsewhere.
ROLES = ["jlehmann", "aschmidt", "tbauer", "mkoch", "admin"]
STARTS = {
    Transition.SUBMIT: Status.DRAFT,
    Transition.WITHDRAW: Status.REVIEW,
    Transition.APPROVE: Status.REVIEW,
    Transition.SEND_BACK: Status.REVIEW,
    Transition.ARCHIVE: Status.PUBLISHED,
    Transition.UNARCHIVE: Status.ARCHIVED,
}
ENDS = {
    Transition.SUBMIT: Status.REVIEW,
    Transition.WITHDRAW: Status.DRAFT,
    Transition.APPROVE: Status.PUBLISHED,
    Transition.SEND_BACK: Status.DRAFT,
    Transition.ARCHIVE: Status.ARCHIVED,
    Transition.UNARCHIVE: Status.PUBLISHED,
}
ALLOWED = {
    Transition.SUBMIT: {"tbauer", "mkoch", "admin"},
    Transition.WITHDRAW: {"tbauer", "mkoch", "admin"},
    Transition.APPROVE: {"mkoch", "admin"},
    Transition.SEND_BACK: {"mkoch", "admin"},
    Transition.ARCHIVE: {"tbauer", "mkoch", "admin"},
    Transition.UNARCHIVE: {"tbauer", "mkoch", "admin"},
}
MATRIX = [(step, role) for step in Transition for role in ROLES]


def _practice(step: Transition):
    start = STARTS[step]
    published = date(2025, 1, 1) if start in (Status.PUBLISHED, Status.ARCHIVED) else None
    return make_practice(centre="zz-sachsen", status=start.value, published=published)


@pytest.mark.parametrize(("step", "role"), MATRIX, ids=[f"{s}-{r}" for s, r in MATRIX])
def test_transition_matrix_via_operations(session, step, role):
    practice = _practice(step)
    actor = user(role)
    if role in ALLOWED[step]:
        change = transition(actor, practice, step, "Bitte Quellen ergänzen.")
        db.session.commit()
        assert practice.status == ENDS[step]
        assert (change.actor, change.from_status, change.to_status) == (actor, STARTS[step], ENDS[step])
        assert change.comment == "Bitte Quellen ergänzen."
    else:
        with pytest.raises(PermissionDenied):
            transition(actor, practice, step, "Kommentar")
        assert practice.status == STARTS[step]


@pytest.mark.parametrize(("step", "role"), MATRIX, ids=[f"{s}-{r}" for s, r in MATRIX])
def test_transition_matrix_via_http(client, login_as, step, role):
    with client.application.app_context():
        practice = _practice(step)
        slug = practice.slug
    login_as(role)
    token = csrf_token(client, "/")
    response = client.post(
        f"/practices/{slug}/status", data={"transition": step.value, "comment": "Passt.", "csrf_token": token}
    )
    db.session.expire_all()
    practice = db.session.scalars(db.select(type(practice)).where(type(practice).slug == slug)).one()
    if role in ALLOWED[step]:
        assert response.status_code == 302
        assert practice.status == ENDS[step]
    else:
        assert response.status_code in (403, 404)  # 404: a draft the user may not even see
        assert practice.status == STARTS[step]


def test_anonymous_cannot_change_status(client):
    """Pins issue-13 rule 13: with a valid CSRF token (so the CSRF check cannot be what refuses it),
    an anonymous status change is sent to the login page."""
    practice = make_practice(status="review")
    token = csrf_token(client, "/login")
    response = client.post(
        f"/practices/{practice.slug}/status", data={"transition": "approve", "csrf_token": token}
    )
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    db.session.refresh(practice)
    assert practice.status == Status.REVIEW


def test_send_back_needs_a_comment(session):
    practice = make_practice(status="review")
    with pytest.raises(InvalidTransition):
        transition(user("mkoch"), practice, Transition.SEND_BACK, "  ")
    assert practice.status == Status.REVIEW


def test_transition_from_wrong_status_is_refused(session):
    practice = make_practice(status="draft")
    with pytest.raises(InvalidTransition):
        transition(user("mkoch"), practice, Transition.APPROVE)


class _FixedDate(date):
    """The workflow's clock fixed on 15 March 2026 (issue 13 rule 17: date-dependent tests fix the clock)."""

    @classmethod
    def today(cls) -> date:
        return date(2026, 3, 15)


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr(workflow, "date", _FixedDate)
    return date(2026, 3, 15)


def test_approval_sets_published_and_review_due(session, fixed_today):
    practice = make_practice(status="review")
    transition(user("mkoch"), practice, Transition.APPROVE)
    assert practice.published == date(2026, 3, 15)
    assert practice.review_due == date(2027, 3, 15)  # HUB_REVIEW_INTERVAL_MONTHS = 12


def test_review_interval_is_configurable(app, session):
    app.config["REVIEW_INTERVAL_MONTHS"] = 6
    try:
        assert next_review_date(date(2025, 8, 31)) == date(2026, 2, 28)
        assert next_review_date(date(2025, 1, 15)) == date(2025, 7, 15)
    finally:
        app.config["REVIEW_INTERVAL_MONTHS"] = 12


def test_review_queue_and_recent_changes(session):
    waiting = make_practice(status="review")
    live = make_practice(status="published")  # published by the workflow (here: an import)
    assert waiting in review_queue()
    assert live not in review_queue()
    data = practice_data(live)
    data.body = "Neuer Text nach der Veröffentlichung."
    update_practice(user("tbauer"), live, data, "Nachtrag")
    db.session.commit()
    assert live.status == Status.PUBLISHED  # edits of published practices go live
    latest = recent_changes()[0]
    assert (latest.practice, latest.message, latest.author) == (live, "Nachtrag", user("tbauer"))


def test_overdue_lists_and_still_valid(session, fixed_today):
    old = make_practice(status="published", centre="zz-sachsen", review_due=date(2024, 1, 1))
    other = make_practice(status="published", centre="zz-thueringen", review_due=date(2024, 1, 1))
    assert {old, other} <= set(overdue(user("mkoch")))
    assert old in overdue(user("tbauer")) and other not in overdue(user("tbauer"))
    assert overdue(user("jlehmann")) == []
    confirm_still_valid(user("tbauer"), old, "Geprüft")
    db.session.commit()
    assert old.review_due == date(2027, 3, 15)  # a full interval from the (fixed) day of the check
    assert old not in overdue(user("mkoch"))
    change = db.session.scalars(db.select(StatusChange).where(StatusChange.practice_id == old.id)).one()
    assert change.comment == "Geprüft"
    with pytest.raises(PermissionDenied):
        confirm_still_valid(user("aschmidt"), old)


def test_review_pages_by_role(client, login_as):
    make_practice(status="review", title="Wartet auf Prüfung")
    assert client.get("/review/").status_code == 302  # login first
    login_as("tbauer")
    assert client.get("/review/").status_code == 403
    assert client.get("/review/due").status_code == 200
    assert "Prüfung" not in client.get("/").get_data(as_text=True).split("</nav>")[0].split("main-nav")[1]
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login_as("mkoch")
    html = client.get("/review/").get_data(as_text=True)
    assert "Wartet auf Prüfung" in html
    assert 'href="/review/"' in html


def test_history_shows_status_changes(client, login_as):
    practice = make_practice(status="review")
    transition(user("mkoch"), practice, Transition.SEND_BACK, "Bitte das Ergebnis beziffern.")
    db.session.commit()
    login_as("mkoch")
    html = client.get(f"/practices/{practice.slug}/history").get_data(as_text=True)
    assert "Bitte das Ergebnis beziffern." in html
    assert "Markus Koch" in html


def test_authors_see_the_review_comment_on_their_draft(client, login_as):
    practice = make_practice(centre="zz-sachsen", status="review")
    transition(user("mkoch"), practice, Transition.SEND_BACK, "Bitte Kosten angeben.")
    db.session.commit()
    login_as("tbauer")
    html = client.get(f"/practices/{practice.slug}").get_data(as_text=True)
    assert "Prüfkommentar von Markus Koch:" in html and "Bitte Kosten angeben." in html
