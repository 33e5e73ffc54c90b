"""Experience reports by members, and tag governance by coordinators."""

from __future__ import annotations

from datetime import date

import pytest

from hub.auth.permissions import PermissionDenied
from hub.extensions import db
from hub.models import AuditEvent, ExperienceReport, OutboxEvent, Practice, Tag, TagAlias
from hub.practices.experiences import NotPublished, ReportData, add_experience, delete_experience
from hub.taxonomy.operations import TagError, add_alias, merge_tags, remove_alias, rename_tag, usage_counts
from tests.factories import make_practice, user
from tests.support import csrf_token


def _report_form(client, slug: str, **changes):
    data = {
        "csrf_token": csrf_token(client, f"/practices/{slug}"),
        "centre": str(user("jlehmann").centre_id),
        "sector": "C",
        "size": "micro",
        "result": "partly",
        "date": "2025-10-01",
        "note": "Hat bei uns halb geklappt.",
    }
    data.update(changes)
    return data


def _outbox(practice_id: int, reason: str) -> int:
    return len(
        db.session.scalars(
            db.select(OutboxEvent).where(OutboxEvent.practice_id == practice_id, OutboxEvent.reason == reason)
        ).all()
    )


def test_reader_adds_edits_and_deletes_their_report(client, login_as):
    practice = make_practice(sectors=["C"])
    slug, pid = practice.slug, practice.id
    login_as("jlehmann")
    assert "Wir haben das auch eingesetzt" in client.get(f"/practices/{slug}").get_data(as_text=True)
    response = client.post(f"/practices/{slug}/experiences", data=_report_form(client, slug))
    assert response.status_code == 302
    report = db.session.scalars(db.select(ExperienceReport).where(ExperienceReport.practice_id == pid)).one()
    assert (report.author, report.result.value, report.note) == (
        user("jlehmann"),
        "partly",
        "Hat bei uns halb geklappt.",
    )
    assert _outbox(pid, "experiences") == 1
    html = client.get(f"/practices/{slug}").get_data(as_text=True)
    assert "Hat bei uns halb geklappt." in html and "Meinen Bericht bearbeiten" in html
    edit_url = f"/practices/{slug}/experiences/{report.id}/edit"
    assert (
        client.post(edit_url, data=_report_form(client, slug, result="worked", note="Doch gut.")).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(ExperienceReport, report.id).note == "Doch gut."
    token = csrf_token(client, f"/practices/{slug}")
    assert (
        client.post(
            f"/practices/{slug}/experiences/{report.id}/delete", data={"csrf_token": token}
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(ExperienceReport, report.id) is None
    assert _outbox(pid, "experiences") == 3


def test_others_cannot_change_a_report(client, login_as):
    practice = make_practice()
    report = add_experience(
        user("jlehmann"),
        practice,
        ReportData(user("jlehmann").centre_id, "C", "micro", "worked", date(2025, 1, 1)),
    )
    db.session.commit()
    login_as("aschmidt")
    assert client.get(f"/practices/{practice.slug}/experiences/{report.id}/edit").status_code == 403
    with pytest.raises(PermissionDenied):
        delete_experience(user("aschmidt"), report)
    delete_experience(user("mkoch"), report)  # coordinators may tidy up


def test_report_field_errors(client, login_as):
    practice = make_practice()
    login_as("jlehmann")
    response = client.post(
        f"/practices/{practice.slug}/experiences",
        data=_report_form(client, practice.slug, sector="Z", result="", date="2999-01-01"),
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Das Datum liegt in der Zukunft." in html and "Bitte geben Sie an, wie es gelaufen ist." in html
    assert 'id="sector-errors"' in html


def test_reports_only_on_published_practices_and_only_for_members(client, session):
    draft = make_practice(status="draft")
    with pytest.raises(NotPublished):
        add_experience(user("mkoch"), draft, ReportData(1, "C", "micro", "worked", date(2025, 1, 1)))
    published = make_practice()
    # Pins issue-13 rule 13: a valid CSRF token, so only the login requirement can refuse it
    token = csrf_token(client, "/login")
    data = {"csrf_token": token, "centre": "zz-sachsen", "sector": "C", "size": "micro", "result": "worked",
            "date": "2025-01-01"}
    response = client.post(f"/practices/{published.slug}/experiences", data=data)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    db.session.refresh(published)
    assert published.experiences == []


def test_usage_counts_and_rename_keeps_old_name_as_alias(session):
    practice = make_practice(tags=["altname"])
    counts = dict((t.name, n) for t, n in usage_counts())
    assert counts["altname"] == 1
    tag = practice.tags[0]
    rename_tag(user("mkoch"), tag, "Neuer Name")
    db.session.commit()
    assert tag.name == "neuer-name" and [a.alias for a in tag.aliases] == ["altname"]
    assert _outbox(practice.id, "tags") == 1
    event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "tag.rename")).one()
    assert event.details == {"old": "altname", "new": "neuer-name"} and event.actor == user("mkoch")


def test_merge_retags_every_practice_and_keeps_an_alias(session):
    a = make_practice(tags=["doppelt-a"])
    b = make_practice(tags=["doppelt-a", "doppelt-b"])
    c = make_practice(tags=["doppelt-b"])
    source = db.session.scalars(db.select(Tag).where(Tag.name == "doppelt-a")).one()
    target = db.session.scalars(db.select(Tag).where(Tag.name == "doppelt-b")).one()
    assert merge_tags(user("mkoch"), source, target) == 2
    db.session.commit()
    for practice in (a, b, c):
        db.session.refresh(practice)
        assert [t.name for t in practice.tags] == ["doppelt-b"]
    assert db.session.get(TagAlias, "doppelt-a").tag == target
    assert (
        db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "tag.merge"))
        .one()
        .details["practices"]
        == 2
    )


def test_aliases_and_their_rules(session):
    practice = make_practice(tags=["aliasziel"])
    tag = practice.tags[0]
    add_alias(user("mkoch"), tag, "anderswort")
    with pytest.raises(TagError):
        add_alias(user("mkoch"), tag, "anderswort")
    with pytest.raises(TagError):
        add_alias(user("mkoch"), tag, "ki")  # already an alias of another tag
    with pytest.raises(PermissionDenied):
        add_alias(user("tbauer"), tag, "nochwas")
    remove_alias(user("mkoch"), db.session.get(TagAlias, "anderswort"))
    db.session.commit()
    assert db.session.get(TagAlias, "anderswort") is None
    actions = [e.action for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id))]
    assert actions[-2:] == ["tag.add-alias", "tag.remove-alias"]


def test_tag_admin_pages(client, login_as):
    practice = make_practice(tags=["seitenwort"])
    tag_id = practice.tags[0].id
    login_as("tbauer")
    assert client.get("/tags/manage/").status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login_as("mkoch")
    html = client.get("/tags/manage/").get_data(as_text=True)
    assert "seitenwort" in html
    token = csrf_token(client, "/tags/manage/")
    response = client.post(
        f"/tags/manage/{tag_id}", data={"csrf_token": token, "action": "add-alias", "value": "seitenalias"}
    )
    assert response.status_code == 302
    assert db.session.get(TagAlias, "seitenalias") is not None
    response = client.post(
        f"/tags/manage/{tag_id}", data={"csrf_token": token, "action": "merge", "value": "gibt-es-nicht"}
    )
    assert response.status_code == 302
    assert "Nicht möglich" in client.get("/tags/manage/").get_data(as_text=True)
    assert db.session.get(Practice, practice.id).tags[0].name == "seitenwort"
