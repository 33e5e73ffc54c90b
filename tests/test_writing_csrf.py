"""CSRF: every new form and endpoint refuses a post without a valid token and changes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from hub.extensions import db
from hub.models import ExperienceReport, Practice, Revision, Tag
from hub.practices.experiences import ReportData, add_experience
from tests.factories import make_practice, user

ENDPOINTS = [
    "/practices/new",
    "/practices/{slug}/edit",
    "/practices/preview",
    "/practices/{slug}/status",
    "/practices/{slug}/confirm",
    "/practices/{slug}/restore/1",
    "/practices/{slug}/delete",
    "/practices/{slug}/experiences",
    "/practices/{slug}/experiences/{report}/edit",
    "/practices/{slug}/experiences/{report}/delete",
    "/tags/manage/{tag}",
    "/uploads",
]


@pytest.mark.parametrize("template", ENDPOINTS)
@pytest.mark.parametrize("token", [None, "forged-token"])
def test_post_without_valid_token_is_refused(client, login_as, template, token):
    practice = make_practice(centre="zz-sachsen", status="review", tags=["csrf-wort"])
    report = add_experience(
        user("admin"),
        make_practice(),
        ReportData(user("admin").centre_id, "C", "micro", "worked", date(2025, 1, 1)),
    )
    db.session.commit()
    counts = (_count(Practice), _count(Revision), _count(ExperienceReport), _count(Tag))
    login_as("admin")
    url = template.format(slug=practice.slug, report=report.id, tag=practice.tags[0].id)
    data = {
        "title": "Neu", "transition": "approve", "confirm": "y", "action": "rename", "value": "umbenannt",
        "body": "x", "note": "x",
    }
    if token:
        data["csrf_token"] = token
    response = client.post(url, data=data)
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Practice, practice.id).status.value == "review"
    assert (_count(Practice), _count(Revision), _count(ExperienceReport), _count(Tag)) == counts
    assert db.session.get(Tag, practice.tags[0].id).name == "csrf-wort"


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))
