"""Rules of writing that no request body can get around (issue 11): workflow dates belong to the
workflow, unarchiving publishes only what was published, the owning centre and the authors need
the right for the target centre, experience reports speak for the reporter's own centre, and the
API answers any JSON it is sent with a problem document, never a 500."""

from __future__ import annotations

from datetime import date

import pytest

from hub.extensions import db
from hub.models import ExperienceReport, Practice
from hub.practices.workflow import Transition, transition
from hub.vocabulary import Status
from tests.factories import make_practice, user
from tests.support import csrf_token
from tests.test_api_writes import NEW, _auth
from tests.test_editor import _errors, valid_form


def _practice(slug: str) -> Practice:
    db.session.expire_all()
    return db.session.scalars(db.select(Practice).where(Practice.slug == slug)).one()


def _step(client, slug: str, step: Transition, who: str) -> int:
    url = f"/api/v1/practices/{slug}/transitions"
    return client.post(url, headers=_auth(who), json={"transition": step.value}).status_code


# --- (1) publishing without review ----------------------------------------------------------------
@pytest.mark.parametrize("field", ["published", "updated", "review_due"])
def test_a_contributor_cannot_set_workflow_dates_through_the_api(client, session, field):
    """Rule: published, updated and review_due come from the workflow, not a contributor's body."""
    created = client.post("/api/v1/practices", headers=_auth("tbauer"), json={**NEW, field: "2025-01-01"})
    assert created.status_code == 403 and field in created.get_json()["errors"]
    assert db.session.scalar(db.select(Practice).where(Practice.slug == "neue-praxis-ueber-die-api")) is None

    draft = client.post("/api/v1/practices", headers=_auth("tbauer"), json=NEW)
    assert draft.status_code == 201
    url, etag = "/api/v1/practices/neue-praxis-ueber-die-api", draft.headers["ETag"]
    changed = client.put(
        url, headers={**_auth("tbauer"), "If-Match": etag}, json={**NEW, field: "2025-01-01"}
    )
    assert changed.status_code == 403 and field in changed.get_json()["errors"]
    assert getattr(_practice("neue-praxis-ueber-die-api"), field) is None


def test_the_archive_round_trip_does_not_publish_a_draft(client, session):
    """Rule: unarchive returns a practice to published only if it was published when archived."""
    draft = client.post("/api/v1/practices", headers=_auth("mkoch"), json={**NEW, "published": "2025-01-01"})
    assert draft.status_code == 201  # coordinators may set the dates
    slug = draft.get_json()["slug"]
    assert _step(client, slug, Transition.ARCHIVE, "tbauer") == 200
    assert _step(client, slug, Transition.UNARCHIVE, "tbauer") == 200
    assert _practice(slug).status == Status.DRAFT
    assert client.get(f"/api/v1/practices/{slug}").status_code == 404  # not public
    assert client.get(f"/practices/{slug}").status_code == 404


def test_the_archive_round_trip_through_the_page_does_not_publish_a_draft(client, login_as):
    """Rule: the status buttons of the page obey the same unarchive rule as the API."""
    practice = make_practice(status="review", published=date(2025, 1, 1))  # a date, but never approved
    slug = practice.slug
    login_as("tbauer")
    for step in (Transition.ARCHIVE, Transition.UNARCHIVE):
        token = csrf_token(client, f"/practices/{slug}")
        response = client.post(
            f"/practices/{slug}/status", data={"csrf_token": token, "transition": step.value}
        )
        assert response.status_code == 302
    assert _practice(slug).status == Status.DRAFT


def test_a_published_practice_comes_back_published(session):
    """Rule: what the workflow published and then archived is published again after unarchiving."""
    practice = make_practice(status="review")
    transition(user("mkoch"), practice, Transition.APPROVE)
    transition(user("tbauer"), practice, Transition.ARCHIVE)
    transition(user("tbauer"), practice, Transition.UNARCHIVE)
    assert practice.status == Status.PUBLISHED


def test_a_contributor_edit_keeps_the_workflow_dates(client, session):
    """Rule: an edit that omits the workflow dates leaves them as the workflow set them."""
    practice = make_practice(centre="zz-sachsen", published=date(2024, 3, 1), review_due=date(2025, 3, 1))
    url = f"/api/v1/practices/{practice.slug}"
    current = client.get(url, headers=_auth("tbauer"))
    body = {**NEW, "title": "Geändert", "slug": practice.slug, "status": "published"}
    changed = client.put(url, headers={**_auth("tbauer"), "If-Match": current.headers["ETag"]}, json=body)
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["published"] == "2024-03-01"
    assert _practice(practice.slug).review_due == date(2025, 3, 1)


# --- (8) owning centre and authors ----------------------------------------------------------------
def _put(client, practice: Practice, who: str, **changes):
    url = f"/api/v1/practices/{practice.slug}"
    current = client.get(url, headers=_auth(who))
    body = {key: value for key, value in current.get_json().items() if key in (*NEW, "slug", "authors")}
    body.update(status=practice.status.value, **changes)
    return client.put(url, headers={**_auth(who), "If-Match": current.headers["ETag"]}, json=body)


def test_moving_a_practice_to_another_centre_needs_the_right_for_that_centre(client, session):
    """Rule: changing the owning centre needs the right to write for the target centre."""
    practice = make_practice(centre="zz-sachsen", authors=["tbauer"])
    moved = _put(client, practice, "tbauer", centre="zz-thueringen")
    assert moved.status_code == 403 and "centre" in moved.get_json()["errors"]
    assert _practice(practice.slug).centre.slug == "zz-sachsen"
    assert _put(client, practice, "mkoch", centre="zz-thueringen").status_code == 200


def test_authors_added_through_the_api_follow_the_editors_rule(client, session):
    """Rule: contributors add as authors only themselves and members of the owning centre."""
    practice = make_practice(centre="zz-sachsen", authors=["tbauer"])
    replaced = _put(client, practice, "tbauer", authors=["aschmidt"])
    assert replaced.status_code == 403 and "authors" in replaced.get_json()["errors"]
    assert [a.username for a in _practice(practice.slug).authors] == ["tbauer"]
    assert _put(client, practice, "tbauer", authors=["jlehmann", "tbauer"]).status_code == 200
    assert _put(client, practice, "mkoch", authors=["aschmidt"]).status_code == 200


def test_the_editor_refuses_a_stranger_as_author(client, login_as):
    """Rule: the web editor applies the same author rule, as a field error."""
    login_as("tbauer")
    response = client.post("/practices/new", data=valid_form(client, authors="tbauer, aschmidt"))
    assert response.status_code == 422
    assert "Mitglieder des zuständigen Zentrums" in " ".join(
        _errors(response.get_data(as_text=True))["authors"]
    )


# --- (15) experience reports ----------------------------------------------------------------------
REPORT = {"sector": "C", "size": "micro", "result": "worked", "date": "2025-10-01", "note": "Lief gut."}


def test_members_report_for_their_own_centre_only(client, session):
    """Rule: members file experience reports for their own centre; coordinators for any."""
    practice = make_practice()
    url = f"/api/v1/practices/{practice.slug}/experiences"
    foreign = client.post(url, headers=_auth("jlehmann"), json={**REPORT, "centre": "zz-thueringen"})
    assert foreign.status_code == 403 and "centre" in foreign.get_json()["errors"]
    own = client.post(url, headers=_auth("jlehmann"), json={**REPORT, "centre": "zz-sachsen"})
    assert own.status_code == 201
    moved = client.put(f"/api/v1/experiences/{own.get_json()['id']}", headers=_auth("jlehmann"),
                       json={**REPORT, "centre": "zz-thueringen"})
    assert moved.status_code == 403
    assert (
        client.post(url, headers=_auth("mkoch"), json={**REPORT, "centre": "zz-thueringen"}).status_code
        == 201
    )
    centres = {r.centre.slug for r in db.session.scalars(db.select(ExperienceReport).where(
        ExperienceReport.practice_id == practice.id))}
    assert centres == {"zz-sachsen", "zz-thueringen"}


def test_the_report_form_offers_and_accepts_only_the_own_centre(client, login_as):
    """Rule: the web form for experience reports follows the same centre rule."""
    practice = make_practice()
    other = db.session.scalar(db.select(Practice.centre_id).where(Practice.id == practice.id))
    thueringen = user("aschmidt").centre_id
    assert other != thueringen
    login_as("jlehmann")
    page = client.get(f"/practices/{practice.slug}").get_data(as_text=True)
    assert f'value="{thueringen}"' not in page
    data = {
        "csrf_token": csrf_token(client, f"/practices/{practice.slug}"),
        "centre": str(thueringen),
        **REPORT,
    }
    response = client.post(f"/practices/{practice.slug}/experiences", data=data)
    assert response.status_code == 422
    assert not db.session.scalars(
        db.select(ExperienceReport).where(ExperienceReport.practice_id == practice.id)
    ).all()


# --- (18) any JSON, and the revision message ------------------------------------------------------
WRONG_TYPES = [["x"], {"a": 1}, 1, 1.5, True, None, [["x"]], [{"a": 1}], [None]]
FIELDS = [*NEW, "slug", "authors", "status", "published", "outcome", "related", "message"]


@pytest.mark.parametrize("field", FIELDS)
def test_wrong_json_types_are_problems_not_errors(client, session, field):
    """Rule: a wrong JSON type in any field is a 4xx problem document, never a server error."""
    headers = _auth("tbauer")
    for value in WRONG_TYPES:
        response = client.post("/api/v1/practices", headers=headers, json={**NEW, field: value})
        assert response.status_code in (201, 400, 403, 422), (field, value, response.status_code)
        assert response.status_code == 201 or response.mimetype == "application/problem+json"
    practice = make_practice(centre="zz-sachsen", status="draft")
    url = f"/api/v1/practices/{practice.slug}"
    for value in WRONG_TYPES:
        etag = client.get(url, headers=headers).headers["ETag"]
        response = client.put(url, headers={**headers, "If-Match": etag}, json={**NEW, field: value})
        assert response.status_code in (200, 400, 403, 422), (field, value, response.status_code)
    step = client.post(f"{url}/transitions", headers=headers, json={"transition": ["submit"], "comment": [1]})
    assert step.status_code == 422


def test_the_revision_message_is_checked_and_kept(client, session):
    """Rule: the API checks a revision message like the practice's text and stores it."""
    headers = _auth("tbauer")
    bad = client.post("/api/v1/practices", headers=headers, json={**NEW, "message": "Erste\x07Fassung"})
    assert bad.status_code == 422 and "message" in bad.get_json()["errors"]
    too_long = client.post("/api/v1/practices", headers=headers, json={**NEW, "message": "x" * 501})
    assert too_long.status_code == 422 and "message" in too_long.get_json()["errors"]
    created = client.post("/api/v1/practices", headers=headers, json={**NEW, "message": "Erste Fassung"})
    assert created.status_code == 201, created.get_json()
    practice = _practice(created.get_json()["slug"])
    assert practice.head.message == "Erste Fassung"
