"""Admin pages: only admins manage accounts; every change is validated and recorded."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from hub.extensions import db
from hub.models import AuditEvent
from tests.factories import user
from tests.support import csrf_token, login


@pytest.mark.parametrize(
    ("username", "status"),
    [(None, 302), ("jlehmann", 403), ("aschmidt", 403), ("mkoch", 403), ("admin", 200)],
)
def test_only_admins_see_accounts(client, session, username, status):
    if username:
        login(client, username)
    assert client.get("/admin/users").status_code == status
    assert client.get("/admin/users/mkoch").status_code == status


def test_admin_creates_and_edits_an_account(client, session, login_as):
    login_as("admin")
    token = csrf_token(client, "/admin/users/new")
    form = {"csrf_token": token, "username": "neue.beraterin", "name": "Neue Beraterin", "email": "neu@zz-sachsen.example",
            "role": "reader", "centre": "zz-sachsen", "active": "y", "password": "sehr-geheim-42"}
    assert client.post("/admin/users/new", data=form).status_code == 302
    created = user("neue.beraterin")
    assert created.centre.slug == "zz-sachsen" and created.check_password("sehr-geheim-42")
    edit = {
        "csrf_token": token,
        "name": "Neue Beraterin",
        "email": "neu@zz-sachsen.example",
        "role": "contributor",
        "centre": "zz-thueringen",
        "password": "",
    }  # active unchecked → deactivated
    assert client.post("/admin/users/neue.beraterin", data=edit).status_code == 302
    db.session.refresh(created)
    assert (
        created.role.value == "contributor" and created.centre.slug == "zz-thueringen" and not created.active
    )
    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.object_key == "neue.beraterin")
    ).all()
    assert {"user.create", "user.update"} <= set(actions)


def test_field_errors_are_shown_and_nothing_is_saved(client, session, login_as):
    login_as("admin")
    token = csrf_token(client, "/admin/users/new")
    bad = {"csrf_token": token, "username": "Kein Name!", "name": "X", "email": "keine-mail", "role": "reader",
           "centre": "", "password": "kurz"}
    response = client.post("/admin/users/new", data=bad)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.count('aria-invalid="true"') >= 2
    duplicate = dict(bad, username="mkoch", email="m@example.org", password="lang-genug-123")
    response = client.post("/admin/users/new", data=duplicate)
    assert response.status_code == 422 and "exists already" in response.get_data(as_text=True)


def test_admin_cannot_lock_themselves_out(client, session, login_as):
    login_as("admin")
    token = csrf_token(client, "/admin/users/admin")
    form = {"csrf_token": token, "name": "Administration", "email": "admin@zentrum-digitale-arbeit.example",
            "role": "reader", "centre": "", "active": "y"}
    assert client.post("/admin/users/admin", data=form).status_code == 422
    assert user("admin").role.value == "admin"


def test_account_posts_need_csrf(client, session, login_as):
    login_as("admin")
    assert client.post("/admin/users/new", data={"username": "x"}).status_code == 400
    assert client.post("/admin/users/mkoch", data={"name": "x"}).status_code == 400
