"""A deleted account keeps no name in the database: pages say "ehemaliges Mitglied" or "former member"
in the reader's language; migration 0013 empties the German words stored before.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from hub.accounts.personal_data import delete_account
from hub.extensions import db
from hub.models import User
from tests.support import csrf_token

PRACTICE = "cloud-telefonanlage-umstellung"  # written by tbauer
AUTHOR = "tbauer"


def _delete(username: str) -> User:
    user = db.session.scalars(sa.select(User).where(User.username == username)).one()
    delete_account(None, user)
    db.session.commit()
    return user


def test_a_deleted_account_stores_no_words_and_shows_them_in_the_readers_language(client, session):
    """Rule: the row of a deleted account holds no name in any language; the practice page shows
    "ehemaliges Mitglied" in German and "former member" in English."""
    former = _delete(AUTHOR)
    assert former.name == ""
    stored = db.session.scalars(sa.select(User.name).where(User.deleted_at.is_not(None))).all()
    assert stored and not any(stored)
    german = client.get(f"/practices/{PRACTICE}").get_data(as_text=True)
    assert "ehemaliges Mitglied" in german and "former member" not in german
    client.post("/language", data={"lang": "en", "csrf_token": csrf_token(client, "/")})
    english = client.get(f"/practices/{PRACTICE}").get_data(as_text=True)
    assert "former member" in english and "ehemaliges Mitglied" not in english


def test_an_export_names_a_deleted_account_by_its_pseudonym(app, session, tmp_path):
    """Rule: users.yml needs a name: a deleted account's is its pseudonym, in no language."""
    former = _delete(AUTHOR)
    assert app.test_cli_runner().invoke(args=["export", str(tmp_path / "out")]).exit_code == 0
    users = (tmp_path / "out" / "users.yml").read_text("utf-8")
    assert f"name: {former.username}" in users and "ehemaliges Mitglied" not in users


def test_the_migration_empties_the_german_name_of_deleted_accounts_and_back(fresh_app):
    """Rule: rows written before 0013 ("ehemaliges Mitglied") get no name; other names stay; the
    downgrade writes the old words back."""
    users = sa.table("users", sa.column("username"), sa.column("name"), sa.column("email"),
                     sa.column("role"), sa.column("active"), sa.column("deleted_at"),
                     sa.column("created_at"), sa.column("session_generation"), sa.column("digest"))
    with fresh_app.app_context():
        upgrade(revision="0013_oidc")
        with db.engine.begin() as connection:
            for username, name, deleted in (("former-1a2b3c", "ehemaliges Mitglied", sa.func.now()),
                                            ("anna", "Anna Schmidt", None)):
                connection.execute(users.insert().values(
                    username=username, name=name, email="", role="reader", active=deleted is None,
                    deleted_at=deleted, created_at=sa.func.now(), session_generation=1, digest="none"))
        upgrade(revision="0014_fixes")
        with db.engine.connect() as connection:
            names = dict(connection.execute(sa.select(users.c.username, users.c.name)).all())
        assert names == {"former-1a2b3c": "", "anna": "Anna Schmidt"}
        downgrade(revision="0013_oidc")
        with db.engine.connect() as connection:
            names = dict(connection.execute(sa.select(users.c.username, users.c.name)).all())
        assert names == {"former-1a2b3c": "ehemaliges Mitglied", "anna": "Anna Schmidt"}
