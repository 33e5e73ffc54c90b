"""Issue 14, item 6: "Meine Daten herunterladen" and "Konto löschen" (GDPR).

The JSON holds everything about the person; deleting removes the personal data, keeps what they
wrote (shown as "ehemaliges Mitglied"), keeps audit entries under a pseudonym, and leaves nothing
personal about them in `hub export` or a backup.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from hub.accounts.personal_data import delete_account
from hub.auth.operations import update_user
from hub.extensions import db
from hub.models import ApiToken, AuditEvent, Practice, User, Watch, WatchTarget
from hub.vocabulary import Role
from tests.support import DEMO_PASSWORD, csrf_token, login, logout, prepare_database

EMAIL = "thomas.bauer@zz-sachsen.example"
PRACTICE = "cloud-telefonanlage-umstellung"  # written by tbauer


def _user(username: str) -> User | None:
    return db.session.scalars(sa.select(User).where(User.username == username)).one_or_none()


def _delete(client, password: str = DEMO_PASSWORD, word: str = "LÖSCHEN"):
    token = csrf_token(client, "/account/delete")
    return client.post("/account/delete", data={"password": password, "confirm_text": word, "csrf_token": token})


def test_my_data_holds_everything_about_the_person(client, session, login_as):
    """Rule: one JSON file with account, watches, tokens, authorship and audit entries about them."""
    login_as("tbauer")
    db.session.add(Watch(user=_user("tbauer"), target=WatchTarget.TAG, key="ki"))
    db.session.commit()
    token = csrf_token(client, "/account")
    client.post("/profile/tokens", data={"csrf_token": token, "name": "Auswertung", "scope": "read"})
    response = client.get("/account/data.json")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == EMAIL and data["account"]["username"] == "tbauer"
    assert data["watches"] == [{"target": "tag", "key": "ki", "since": data["watches"][0]["since"]}]
    assert [t["name"] for t in data["api_tokens"]] == ["Auswertung"]
    assert PRACTICE in data["authorship"]["practices"]
    assert "token_hash" not in json.dumps(data)


def test_deleting_ones_account_needs_password_and_confirmation(client, session, login_as):
    """Rule: "Konto löschen" needs the password and the typed confirmation; nothing is lost otherwise."""
    login_as("tbauer")
    assert _delete(client, password="falsch-falsch").status_code == 400
    assert _delete(client, word="ja").status_code == 400
    assert _user("tbauer").email == EMAIL


def test_deleting_removes_personal_data_and_keeps_the_write_ups(app, client, session, login_as):
    """Rule: name, e-mail, password, tokens, watches go; write-ups stay as "ehemaliges Mitglied";
    audit entries keep a pseudonymous id; the person cannot log in any more."""
    login_as("tbauer")
    token = csrf_token(client, "/account")
    client.post("/profile/tokens", data={"csrf_token": token, "name": "Auswertung", "scope": "read"})
    user_id = _user("tbauer").id
    update_user(None, _user("tbauer"), name="Thomas Bauer-Neu", email=EMAIL, role=Role.CONTRIBUTOR,
                centre=_user("tbauer").centre, active=True)
    db.session.commit()
    assert _delete(client).status_code == 302
    assert _user("tbauer") is None
    former = db.session.get(User, user_id)
    assert former.username.startswith("former-") and former.name == ""  # shown translated: test_former_member
    assert (former.email, former.password_hash, former.active) == ("", None, False)
    assert db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user_id)).all() == []
    practice = db.session.scalars(sa.select(Practice).where(Practice.slug == PRACTICE)).one()
    assert [a.id for a in practice.authors] == [user_id]
    page = client.get(f"/practices/{PRACTICE}").get_data(as_text=True)
    assert "ehemaliges Mitglied" in page and "Thomas Bauer" not in page
    about = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.object_key == former.username)).all()
    assert {e.action for e in about} >= {"user.update", "user.delete"}
    assert "Bauer-Neu" not in json.dumps([e.details for e in about])
    assert db.session.scalars(sa.select(AuditEvent).where(AuditEvent.object_key == "tbauer")).all() == []
    assert login(client, "tbauer").status_code == 401


def test_admins_delete_on_request_others_may_not_and_the_last_admin_stays(client, session, login_as):
    """Rule: admins delete an account on request; coordinators cannot; the last admin cannot go."""
    login_as("mkoch")
    token = csrf_token(client, "/account")
    assert client.post("/admin/users/tbauer/delete", data={"csrf_token": token}).status_code == 403
    logout(client)
    login_as("admin")
    token = csrf_token(client, "/admin/users/tbauer")
    assert client.post("/admin/users/tbauer/delete", data={"csrf_token": token}).status_code == 302
    assert _user("tbauer") is None
    assert client.post("/admin/users/admin/delete", data={"csrf_token": token}).status_code == 409
    admin = _user("admin")
    try:
        delete_account(admin, admin)
    except ValueError as error:
        assert "letzte" in str(error) or "last" in str(error)
    else:
        raise AssertionError("the last admin was deleted")


def test_export_and_backup_hold_nothing_personal_about_a_deleted_person(fresh_app_factory, tmp_path: Path):
    """Rule: after "Konto löschen", `hub export` and `hub backup` contain neither the user name, the
    name nor the e-mail address of the person — and the export still imports into an empty hub."""
    fresh_app = fresh_app_factory("source")
    prepare_database(fresh_app)
    with fresh_app.test_request_context():
        user = _user("tbauer")
        delete_account(user, user)
        db.session.commit()
    runner = fresh_app.test_cli_runner()
    assert runner.invoke(args=["export", str(tmp_path / "export")]).exit_code == 0
    assert runner.invoke(args=["backup", str(tmp_path / "backup")]).exit_code == 0
    for folder in ("export", "backup"):
        files = [p for p in (tmp_path / folder).rglob("*") if p.is_file()]
        assert files
        for path in files:
            text = path.read_text("utf-8", errors="replace")
            for personal in ("tbauer", "Thomas Bauer", EMAIL):  # whole words: "Gerüstbauer" is no one
                assert not re.search(rf"(?<![\w.]){re.escape(personal)}(?![\w])", text), f"{personal!r} in {path}"
    target = fresh_app_factory("target")
    with target.app_context():
        upgrade()
    result = target.test_cli_runner().invoke(args=["import", str(tmp_path / "export")])
    assert result.exit_code == 0, result.output
