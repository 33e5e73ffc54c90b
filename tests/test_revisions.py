"""Revisions: conflict detection, diff, restore and slug redirects."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from hub.auth.permissions import PermissionDenied
from hub.extensions import db
from hub.models import AuditEvent, OutboxEvent, Practice, Revision
from hub.practices.diff import body_diff, diff_revisions
from hub.practices.operations import (
    Conflict,
    SlugTaken,
    delete_practice,
    practice_data,
    restore_revision,
    update_practice,
)
from tests.factories import make_practice, user
from tests.support import csrf_token, form_fields, login


def _edit(practice: Practice, **changes):
    data = practice_data(practice)
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def test_second_save_from_the_same_revision_is_a_conflict(session):
    practice = make_practice(body="Erster Absatz.")
    base = practice.head_revision_id
    update_practice(user("tbauer"), practice, _edit(practice, body="Text von Thomas."), base_revision_id=base)
    db.session.commit()
    with pytest.raises(Conflict) as raised:
        update_practice(
            user("mkoch"), practice, _edit(practice, body="Text von Markus."), base_revision_id=base
        )
    assert raised.value.base.id == base and raised.value.head.id == practice.head_revision_id
    assert practice.body == "Text von Thomas."


def test_concurrent_edit_over_http_keeps_both_texts(app, client, login_as):
    practice = make_practice(centre="zz-sachsen", body="Ausgangstext.")
    slug = practice.slug
    other = app.test_client()
    login_as("tbauer")

    login(other, "mkoch")
    form_a = _form_data(client, slug)
    form_b = _form_data(other, slug)
    form_a["body"] = "Absatz von Thomas."
    form_b["body"] = "Absatz von Markus."
    assert client.post(f"/practices/{slug}/edit", data=form_a).status_code == 302
    response = other.post(f"/practices/{slug}/edit", data=form_b)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Absatz von Markus." in html  # the second author's text stays in the form

    conflict = BeautifulSoup(html, "html.parser").select_one(".conflict").get_text()
    assert "Absatz von Thomas." in conflict  # and the page shows what changed in between
    db.session.expire_all()
    practice = db.session.scalars(db.select(Practice).where(Practice.slug == slug)).one()
    assert practice.body == "Absatz von Thomas."
    head = practice.head_revision_id
    assert f'name="base_revision" type="hidden" value="{head}"' in html
    # after merging, saving again works and keeps both
    form_b["body"] = "Absatz von Thomas.\n\nAbsatz von Markus."
    form_b["base_revision"] = str(head)
    form_b["csrf_token"] = csrf_token(other, f"/practices/{slug}/edit")
    assert other.post(f"/practices/{slug}/edit", data=form_b).status_code == 302
    db.session.expire_all()
    assert db.session.get(Practice, practice.id).body == "Absatz von Thomas.\n\nAbsatz von Markus."


def test_diff_shows_metadata_and_body_changes(session):
    practice = make_practice(title="Alter Titel", body="Zeile eins\nZeile zwei\nZeile drei")
    update_practice(
        None,
        practice,
        _edit(practice, title="Neuer Titel", body="Zeile eins\nZeile 2\nZeile drei\nZeile vier"),
    )
    db.session.commit()
    first, second = practice.revisions
    diff = diff_revisions(first, second)
    assert [(f.name, f.old, f.new) for f in diff.fields] == [("title", "Alter Titel", "Neuer Titel")]
    ops = [(line.op, "".join(s.text for s in line.segments)) for line in diff.body]
    assert (
        ("delete", "Zeile zwei") in ops and ("insert", "Zeile 2") in ops and ("insert", "Zeile vier") in ops
    )
    changed = [s.text for line in diff.body if line.op == "insert" for s in line.segments if s.changed]
    assert "2" in changed


def test_body_diff_of_equal_texts_is_empty():
    assert body_diff("a\nb", "a\nb") == []


def test_diff_page(client, login_as):
    practice = make_practice(body="Vorher <b>fett</b>")
    update_practice(None, practice, _edit(practice, body="Nachher"))
    db.session.commit()
    html = client.get(f"/practices/{practice.slug}/diff?from=1&to=2").get_data(as_text=True)
    assert "<del>Vorher &lt;b&gt;fett&lt;/b&gt;</del>" in html  # issue 13 rule 15: no "or" that always holds
    assert "<ins>Nachher</ins>" in html
    assert client.get(f"/practices/{practice.slug}/diff?from=1&to=9").status_code == 404


def test_restore_creates_a_new_revision(client, login_as):
    practice = make_practice(centre="zz-sachsen", title="Original", body="Originaltext")
    update_practice(None, practice, _edit(practice, title="Verändert", body="Verändert"))
    db.session.commit()
    login_as("tbauer")
    token = csrf_token(client, f"/practices/{practice.slug}/history")
    response = client.post(f"/practices/{practice.slug}/restore/1", data={"csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    practice = db.session.get(Practice, practice.id)
    assert (practice.title, practice.body) == ("Original", "Originaltext")
    assert [r.number for r in practice.revisions] == [1, 2, 3]
    assert practice.revisions[-1].author == user("tbauer")
    assert "1" in practice.revisions[-1].message


def test_restore_is_refused_for_other_centres(session):
    practice = make_practice(centre="zz-sachsen")
    update_practice(None, practice, _edit(practice, body="Zwei"))

    with pytest.raises(PermissionDenied):
        restore_revision(user("aschmidt"), practice, practice.revisions[0])


def test_every_old_slug_redirects(client):
    practice = make_practice(slug="erster-name")
    update_practice(None, practice, _edit(practice, slug="zweiter-name"))
    update_practice(None, practice, _edit(practice, slug="dritter-name"))
    db.session.commit()
    for old in ("erster-name", "zweiter-name"):
        response = client.get(f"/practices/{old}")
        assert response.status_code == 301
        assert response.headers["Location"].endswith("/practices/dritter-name")
    assert client.get("/practices/erster-name/history").headers["Location"].endswith("/dritter-name/history")
    assert client.get("/practices/dritter-name").status_code == 200


def test_old_slugs_stay_reserved(session):
    first = make_practice(slug="reserviert")
    update_practice(None, first, _edit(first, slug="neu-vergeben"))
    second = make_practice()
    with pytest.raises(SlugTaken):
        update_practice(None, second, _edit(second, slug="reserviert"))
    update_practice(None, first, _edit(first, slug="reserviert"))  # its own old slug: fine
    assert first.slug == "reserviert"


def test_redirect_does_not_reveal_hidden_practices(client):
    practice = make_practice(slug="geheim-alt", status="draft")
    update_practice(None, practice, _edit(practice, slug="geheim-neu"))
    db.session.commit()
    assert client.get("/practices/geheim-alt").status_code == 404


def test_hard_delete_only_for_admins_with_confirmation(client, login_as):
    practice = make_practice(centre="zz-sachsen")
    slug, pid = practice.slug, practice.id
    login_as("mkoch")
    assert client.get(f"/practices/{slug}/delete").status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login_as("admin")
    token = csrf_token(client, f"/practices/{slug}/delete")
    assert client.post(f"/practices/{slug}/delete", data={"csrf_token": token}).status_code == 422
    assert db.session.get(Practice, pid) is not None
    response = client.post(f"/practices/{slug}/delete", data={"csrf_token": token, "confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Practice, pid) is None
    assert db.session.scalars(db.select(Revision).where(Revision.practice_id == pid)).all() == []
    event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "practice.delete")).one()
    assert event.object_key == slug and event.actor == user("admin")
    assert db.session.scalars(db.select(OutboxEvent).where(OutboxEvent.practice_id == pid)).all()


def test_delete_operation_refuses_coordinators(session):
    with pytest.raises(PermissionDenied):
        delete_practice(user("mkoch"), make_practice())


def _form_data(client, slug: str) -> dict[str, object]:
    return form_fields(client, f"/practices/{slug}/edit")


def test_edit_without_base_revision_is_not_saved_blindly(client, login_as):
    practice = make_practice(centre="zz-sachsen", body="Bleibt.")
    login_as("tbauer")
    data = _form_data(client, practice.slug)
    data["base_revision"] = ""
    data["body"] = "Blind überschrieben."
    assert client.post(f"/practices/{practice.slug}/edit", data=data).status_code == 409
    db.session.expire_all()
    assert db.session.get(Practice, practice.id).body == "Bleibt."
