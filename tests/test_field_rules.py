"""One home for field rules (hub/fields.py): reserved slugs for practices and collections in the web
forms, the API and the import; slug fallbacks per kind; lengths from the model columns."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from hub.exchange.importer import import_folder
from hub.exchange.reader import InvalidContent
from hub.extensions import db
from hub.fields import COLLECTION_SLUGS, PRACTICE_SLUGS
from hub.models import Collection, Practice
from tests.support import csrf_token
from tests.test_api_writes import NEW, _auth


def test_reserved_slugs_are_read_from_the_url_map(app):
    """Rule: every fixed page beside ``/practices/<slug>`` or ``/collections/<slug>`` reserves its name."""
    assert {"new", "preview", "suggest"} <= PRACTICE_SLUGS.reserved()
    assert "new" in COLLECTION_SLUGS.reserved()
    assert "ki-grundlagen-workshop" not in PRACTICE_SLUGS.reserved()


def test_a_collection_titled_new_gets_an_address_that_opens(client, session, login_as):
    """Rule: a slug made from a title is never a reserved one (was: "New" → /collections/new, the
    create page, so the collection could never be opened)."""
    login_as("mkoch")
    token = csrf_token(client, "/collections/new")
    response = client.post(
        "/collections/new", data={"csrf_token": token, "title": "New", "visibility": "public"}
    )
    assert response.status_code == 302, response.text
    slug = db.session.scalars(sa.select(Collection.slug).where(Collection.title == "New")).one()
    assert slug != "new"
    assert client.get(f"/collections/{slug}").status_code == 200


def test_a_reserved_collection_slug_typed_in_the_form_is_refused(client, session, login_as):
    """Rule: the collection form refuses a slug the hub's pages take, with a field error."""
    login_as("mkoch")
    token = csrf_token(client, "/collections/new")
    response = client.post(
        "/collections/new", data={"csrf_token": token, "title": "Neu", "slug": "new", "visibility": "public"}
    )
    assert response.status_code == 422
    assert db.session.scalars(sa.select(Collection).where(Collection.slug == "new")).first() is None


@pytest.mark.parametrize("body", [{"slug": "new"}, {"title": "New"}], ids=["slug", "title"])
def test_the_api_never_creates_a_practice_new(client, session, body):
    """Rule: reserved practice slugs hold in the API too (was: only in the web form)."""
    response = client.post("/api/v1/practices", headers=_auth("tbauer"), json={**NEW, **body})
    if "slug" in body:
        assert response.status_code == 422
        assert "reserved" in response.get_json()["errors"]["slug"][0]
    else:
        assert response.status_code == 201, response.get_json()
        assert response.get_json()["slug"] not in PRACTICE_SLUGS.reserved()
    assert db.session.scalars(sa.select(Practice).where(Practice.slug == "new")).first() is None


@pytest.mark.parametrize("body", [{"slug": "new"}, {"title": "New"}], ids=["slug", "title"])
def test_the_api_never_creates_a_collection_new(client, session, body):
    """Rule: reserved collection slugs hold in the API."""
    data = {"title": "Sammlung", "visibility": "public", **body}
    response = client.post("/api/v1/collections", headers=_auth("mkoch"), json=data)
    if "slug" in body:
        assert response.status_code == 422
    else:
        assert response.status_code == 201, response.get_json()
    assert db.session.scalars(sa.select(Collection).where(Collection.slug == "new")).first() is None


def test_an_api_collection_without_a_usable_title_falls_back_to_a_collection_slug(client, session):
    """Rule: slug fallbacks per kind (was: API collections fell back to the practice's ``praxisbeispiel``)."""
    response = client.post(
        "/api/v1/collections", headers=_auth("mkoch"), json={"title": "!!!", "visibility": "public"}
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["slug"] == COLLECTION_SLUGS.fallback == "sammlung"


@pytest.mark.parametrize("folder", ["practices", "collections"])
def test_the_import_refuses_reserved_slugs(session, tmp_content: Path, folder):
    """Rule: reserved slugs hold in the import, for practices and collections (was: ``new.md`` imported)."""
    source = next((tmp_content / folder).glob("*.md"))
    text = source.read_text("utf-8")
    (tmp_content / folder / "new.md").write_text(text.replace(f"slug: {source.stem}\n", ""), "utf-8")
    source.unlink()
    with pytest.raises(InvalidContent) as caught:
        import_folder(tmp_content)
    assert any(p.field == "slug" and "reserved" in p.message for p in caught.value.problems), caught.value


def test_lengths_come_from_the_model_columns(app):
    """Rule: a slug's length limit is its column's."""
    assert PRACTICE_SLUGS.max_length == Practice.__table__.c.slug.type.length
    assert COLLECTION_SLUGS.max_length == Collection.__table__.c.slug.type.length
    assert len(PRACTICE_SLUGS.make("x" * 500)) == PRACTICE_SLUGS.max_length
