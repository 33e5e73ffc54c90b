"""What the API tells about a practice depends only on what the caller may see: the version number
is counted over the published versions for outsiders, and a writer's PUT keeps the related links to
practices they cannot see (without showing them)."""

from __future__ import annotations

from dataclasses import replace

from bs4 import BeautifulSoup

from hub.extensions import db
from hub.models import Practice
from hub.practices.data import RelatedLink
from hub.practices.operations import practice_data, update_practice
from tests.factories import make_practice
from tests.test_api_writes import _auth


def _revise(practice: Practice, **changes: object) -> None:
    update_practice(None, practice, replace(practice_data(practice), **changes))
    db.session.commit()


def _published_after_drafts(slug: str, drafts: int) -> Practice:
    practice = make_practice(title=f"Entwurf {slug}", slug=slug, centre="zz-sachsen", status="draft",
                             body="Erste Fassung mit Kundennamen.")
    for n in range(drafts - 1):
        _revise(practice, body=f"Entwurf Nummer {n + 2}.")
    _revise(practice, status="published", body="Die freigegebene Fassung.")
    return practice


def test_outsiders_get_a_version_number_that_does_not_count_drafts(client, session):
    """Rule: two practices with the same published history look alike to outsiders, however many
    drafts each had; insiders (the owning centre, coordinators) get the revision's own number."""
    few, many = _published_after_drafts("wenig-entwuerfe", 1), _published_after_drafts("viele-entwuerfe", 5)
    for practice in (few, many):
        _revise(practice, body="Nach der Freigabe ergänzt.")
    insider = _auth("mkoch")
    assert client.get(f"/api/v1/practices/{many.slug}", headers=insider).get_json()["revision"] == 7
    for caller in ({}, _auth("jlehmann"), _auth("aschmidt")):  # anonymous, a member, another centre
        numbers = {p.slug: client.get(f"/api/v1/practices/{p.slug}", headers=caller).get_json()["revision"]
                   for p in (few, many)}
        assert numbers == {few.slug: 2, many.slug: 2}


def _linked_practice() -> tuple[Practice, Practice, Practice]:
    """A published practice of zz-sachsen linking a draft of zz-thueringen (hidden from tbauer) and a
    visible one, made as an import makes them."""
    hidden = make_practice(title="Geheimer Entwurf", slug="geheimer-entwurf", centre="zz-thueringen",
                           status="draft")
    visible = make_practice(title="Sichtbare Praxis", slug="sichtbare-praxis", centre="zz-sachsen")
    source = make_practice(title="Mit Verweisen", slug="mit-verweisen", centre="zz-sachsen",
                           related=[RelatedLink(hidden.slug, "builds-on"), RelatedLink(visible.slug, "see-also")])
    return source, hidden, visible


def _links(practice: Practice) -> list[tuple[str, str]]:
    db.session.expire_all()
    return [(link.target.slug, link.type.value) for link in db.session.get(Practice, practice.id).links]


def test_a_put_keeps_related_links_the_writer_cannot_see(client, session):
    """Rule: links to practices the writer may not see are kept, unchanged and in place, whatever the
    writer sends; the answer still does not show them."""
    source, hidden, visible = _linked_practice()
    writer = _auth("tbauer")  # contributor of zz-sachsen: may edit the source, may not see the draft
    got = client.get(f"/api/v1/practices/{source.slug}", headers=writer)
    body = got.get_json()
    assert body["related"] == [{"slug": visible.slug, "type": "see-also"}]
    other = make_practice(title="Noch eine", slug="noch-eine", centre="zz-sachsen")
    changes = {key: body[key] for key in ("title", "kind", "centre", "summary", "sectors", "sizes", "topics",
                                          "visibility", "body")}
    changes["related"] = [{"slug": other.slug, "type": "alternative-to"}, {"slug": visible.slug, "type": "see-also"}]
    saved = client.put(f"/api/v1/practices/{source.slug}", json=changes,
                       headers={**writer, "If-Match": got.headers["ETag"]})
    assert saved.status_code == 200, saved.get_json()
    assert hidden.slug not in saved.get_data(as_text=True)
    assert _links(source) == [(hidden.slug, "builds-on"), (other.slug, "alternative-to"), (visible.slug, "see-also")]
    changes["related"] = []
    emptied = client.put(f"/api/v1/practices/{source.slug}", json=changes,
                         headers={**writer, "If-Match": saved.headers["ETag"]})
    assert emptied.status_code == 200 and emptied.get_json()["related"] == []
    assert _links(source) == [(hidden.slug, "builds-on")]


def test_the_editor_neither_shows_nor_drops_links_the_writer_cannot_see(client, session, login_as):
    """Rule: the web editor does not put a hidden practice's address into the form, and saving the
    form keeps the link to it."""
    source, hidden, visible = _linked_practice()
    login_as("tbauer")
    page = client.get(f"/practices/{source.slug}/edit").get_data(as_text=True)
    assert hidden.slug not in page and visible.slug in page
    soup = BeautifulSoup(page, "html.parser")
    data = {}
    for field in soup.select("input[name], textarea[name], select[name]"):
        name = field["name"]
        if field.name == "textarea":
            data[name] = field.get_text()
        elif field.name == "select":
            chosen = [o["value"] for o in field.select("option[selected]")]
            data[name] = chosen if field.has_attr("multiple") else (chosen[0] if chosen else "")
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "y"))
        elif field.get("type") not in ("file", "submit"):
            data[name] = field.get("value", "")
    data.update({"summary": "Im Editor geändert.", "action": "save"})
    response = client.post(f"/practices/{source.slug}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert _links(source) == [(hidden.slug, "builds-on"), (visible.slug, "see-also")]
