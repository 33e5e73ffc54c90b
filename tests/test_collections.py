"""Curating collections: who may, ordering without JavaScript, and never revealing hidden practices."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from hub.auth.permissions import PermissionDenied
from hub.collections import operations
from hub.collections.operations import CollectionData
from hub.extensions import db
from hub.models import AuditEvent, Collection, Practice
from tests.factories import make_practice, user
from tests.support import csrf_token


def _collection(slug: str) -> Collection:
    return db.session.scalars(sa.select(Collection).where(Collection.slug == slug)).one()


def _slugs(collection: Collection) -> list[str]:
    db.session.refresh(collection)
    return [item.practice.slug for item in sorted(collection.items, key=lambda i: i.position)]


@pytest.mark.parametrize(
    ("username", "centre", "allowed"),
    [
        ("mkoch", None, True),  # coordinator: any centre
        ("admin", "zz-sachsen", True),
        ("aschmidt", None, True),  # contributor: own centre (zz-thueringen)
        ("aschmidt", "zz-thueringen", True),
        ("aschmidt", "zz-sachsen", False),  # … not another centre's
        ("jlehmann", None, False),  # readers do not curate
    ],
)
def test_who_may_create_collections(session, username, centre, allowed):
    data = CollectionData(title="Neue Sammlung", slug="neue-sammlung", visibility="public", centre=centre)
    if allowed:
        collection = operations.create_collection(user(username), data)
        assert collection.curator.username == username
    else:
        with pytest.raises(PermissionDenied):
            operations.create_collection(user(username), data)


def test_contributor_edits_only_own_centre_collections(session):
    mine = operations.create_collection(user("aschmidt"), CollectionData("Meine", "meine", "public"))
    others = _collection("ki-einstieg-handwerk")  # curated by the coordinating centre
    operations.update_collection(user("aschmidt"), mine, CollectionData("Meine neu", "meine", "internal"))
    assert mine.title == "Meine neu" and mine.visibility.value == "internal"
    with pytest.raises(PermissionDenied):
        operations.update_collection(user("aschmidt"), others, CollectionData("X", others.slug, "public"))
    with pytest.raises(PermissionDenied):
        operations.delete_collection(user("tbauer"), mine)
    assert db.session.scalars(sa.select(AuditEvent).where(AuditEvent.object_key == "meine")).all()


def test_curate_in_the_browser_without_javascript(client, session, login_as):
    first = make_practice(title="Erste Praxis", slug="erste-praxis")
    second = make_practice(title="Zweite Praxis", slug="zweite-praxis")
    login_as("mkoch")
    token = csrf_token(client, "/collections/new")
    response = client.post(
        "/collections/new",
        data={
            "csrf_token": token,
            "title": "Digitalisierung im Bäckerhandwerk",
            "slug": "",
            "visibility": "public",
            "centre": "zentrum-digitale-arbeit",
            "intro": "Eine **Auswahl**.",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/collections/digitalisierung-im-baeckerhandwerk/edit"
    base = "/collections/digitalisierung-im-baeckerhandwerk"
    for text in ("erste-praxis", "Zweite Praxis"):  # by slug or by title
        token = csrf_token(client, base + "/edit")
        assert (
            client.post(base + "/practices", data={"csrf_token": token, "practice": text}).status_code == 302
        )
    collection = _collection("digitalisierung-im-baeckerhandwerk")
    assert _slugs(collection) == ["erste-praxis", "zweite-praxis"]

    token = csrf_token(client, base + "/edit")
    client.post(base + "/practices/up", data={"csrf_token": token, "practice_id": second.id})
    assert _slugs(collection) == ["zweite-praxis", "erste-praxis"]
    client.post(base + "/practices/remove", data={"csrf_token": token, "practice_id": first.id})
    assert _slugs(collection) == ["zweite-praxis"]

    page = BeautifulSoup(client.get(base).get_data(as_text=True), "html.parser")
    assert "Zweite Praxis" in page.get_text() and page.select_one(".prose strong").get_text() == "Auswahl"
    on_practice = BeautifulSoup(client.get("/practices/zweite-praxis").get_data(as_text=True), "html.parser")
    assert "Digitalisierung im Bäckerhandwerk" in on_practice.select_one("#in-collections").get_text()

    token = csrf_token(client, base + "/edit")
    assert client.post(base + "/delete", data={"csrf_token": token}).status_code == 302  # not confirmed
    assert db.session.scalars(sa.select(Collection).where(Collection.slug == collection.slug)).first()
    client.post(base + "/delete", data={"csrf_token": token, "confirm": "y"})
    db.session.expire_all()
    assert (
        db.session.scalars(
            sa.select(Collection).where(Collection.slug == "digitalisierung-im-baeckerhandwerk")
        ).first()
        is None
    )


def test_form_errors_and_duplicate_slug(client, session, login_as):
    login_as("mkoch")
    token = csrf_token(client, "/collections/new")
    response = client.post(
        "/collections/new", data={"csrf_token": token, "title": "", "visibility": "public"}
    )
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    response = client.post(
        "/collections/new",
        data={
            "csrf_token": token,
            "title": "Doppelt",
            "slug": "ki-einstieg-handwerk",
            "visibility": "public",
        },
    )
    assert response.status_code == 422 and 'id="slug-errors"' in response.get_data(as_text=True)


def test_readers_and_anonymous_cannot_curate(client, session, login_as):
    assert client.get("/collections/new").status_code == 302  # to the login page
    # Pins issue-13 rule 13: anonymous posts with a valid CSRF token go to the login page
    anonymous_token = csrf_token(client, "/login")
    for url in ("/collections/new", "/collections/ki-einstieg-handwerk/delete"):
        response = client.post(url, data={"csrf_token": anonymous_token, "title": "x", "confirm": "y"})
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    login_as("jlehmann")
    assert client.get("/collections/new").status_code == 403
    assert client.get("/collections/ki-einstieg-handwerk/edit").status_code == 403
    token = csrf_token(client, "/collections/")
    response = client.post(
        "/collections/ki-einstieg-handwerk/delete", data={"csrf_token": token, "confirm": "y"}
    )
    assert response.status_code == 403


def test_curation_posts_need_csrf(client, session, login_as):
    login_as("mkoch")
    base = "/collections/ki-einstieg-handwerk"
    for url in (
        "/collections/new",
        f"{base}/edit",
        f"{base}/practices",
        f"{base}/practices/up",
        f"{base}/delete",
    ):
        data = {"title": "x", "practice": "x", "practice_id": "1", "confirm": "y"}
        assert client.post(url, data=data).status_code == 400


def test_hidden_practices_never_show_in_collections(client, session):
    draft = make_practice(
        title="Geheimer Entwurf Kolibri", slug="geheimer-entwurf", status="draft", centre="zz-thueringen"
    )
    collection = _collection("ki-einstieg-handwerk")
    operations.add_practice(user("mkoch"), collection, draft)
    db.session.commit()
    assert "Kolibri" not in client.get("/collections/ki-einstieg-handwerk").get_data(as_text=True)
    assert "Kolibri" not in client.get("/collections/").get_data(as_text=True)


def test_place_before_for_drag_and_drop(client, session, login_as):
    login_as("mkoch")
    collection = _collection("ki-einstieg-handwerk")
    before = _slugs(collection)
    assert len(before) >= 3
    ids = dict(db.session.execute(sa.select(Practice.slug, Practice.id).where(Practice.slug.in_(before))).all())
    token = csrf_token(client, "/collections/ki-einstieg-handwerk/edit")
    url = "/collections/ki-einstieg-handwerk/practices/place"
    data = {"csrf_token": token, "practice_id": ids[before[-1]], "before": ids[before[0]]}
    assert client.post(url, data=data).status_code == 302
    assert _slugs(collection) == [before[-1], *before[:-1]]
    client.post(url, data={"csrf_token": token, "practice_id": ids[before[-1]], "before": "end"})
    assert _slugs(collection) == before
    assert client.post(url, data={"csrf_token": token, "practice_id": ids[before[0]], "before": "x"}).status_code == 400


def test_contributor_saves_the_edit_form_without_a_centre_field(client, session, login_as):
    mine = operations.create_collection(user("aschmidt"), CollectionData("Meine", "meine", "public"))
    db.session.commit()
    login_as("aschmidt")
    page = client.get("/collections/meine/edit").get_data(as_text=True)
    assert 'name="centre"' not in page  # a contributor's collections are their centre's
    token = csrf_token(client, "/collections/meine/edit")
    response = client.post(
        "/collections/meine/edit",
        data={"csrf_token": token, "title": "Meine, umbenannt", "slug": "meine", "visibility": "internal"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    db.session.refresh(mine)
    assert mine.title == "Meine, umbenannt" and mine.centre.slug == "zz-thueringen"
