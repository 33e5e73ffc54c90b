"""Following: watches, notifications that respect visibility, the unread count, e-mail digests."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
import sqlalchemy as sa

from hub.collections.operations import add_practice
from hub.extensions import db
from hub.following import operations
from hub.following.digest import send_digests
from hub.models import Collection, Notification, WatchTarget
from hub.models._types import utcnow
from hub.practices.operations import practice_data, update_practice
from tests.factories import make_practice, user
from tests.support import csrf_token


def _notifications(username: str) -> list[Notification]:
    return db.session.scalars(sa.select(Notification).where(Notification.user_id == user(username).id)).all()


def test_tag_watcher_is_notified_of_a_published_practice(session):
    operations.watch(user("jlehmann"), WatchTarget.TAG, "schichtplanung")
    practice = make_practice(title="Schichten fair planen", tags=["schichtplanung"])
    notes = _notifications("jlehmann")
    assert [(n.practice_id, n.reason, n.because) for n in notes] == [
        (practice.id, "published", "tag:schichtplanung")
    ]


def test_no_notification_for_what_the_watcher_may_not_see(session):
    operations.watch(user("jlehmann"), WatchTarget.TAG, "schichtplanung")
    operations.watch(user("tbauer"), WatchTarget.SECTOR, "C")
    make_practice(
        title="Entwurf einer anderen Stelle", tags=["schichtplanung"], status="draft", centre="zz-thueringen"
    )
    make_practice(title="Interne Praxis", tags=["schichtplanung"], visibility="internal")
    assert [n.practice.title for n in _notifications("jlehmann")] == [
        "Interne Praxis"
    ]  # members see internal
    assert "Entwurf einer anderen Stelle" not in [n.practice.title for n in _notifications("tbauer")]


@pytest.mark.parametrize(
    ("target", "key"),
    [(WatchTarget.SECTOR, "Q"), (WatchTarget.TOPIC, "arbeitsorganisation"), (WatchTarget.PRACTICE, None)],
)
def test_each_kind_of_watch_notifies_on_publish_and_update(session, target, key):
    practice = make_practice(
        title="Dienstpläne", sectors=["Q"], topics=["arbeitsorganisation"], status="draft"
    )
    operations.watch(user("jlehmann"), target, key or str(practice.id))
    data = practice_data(practice)
    data.status = "published"
    update_practice(user("mkoch"), practice, data)
    db.session.commit()  # notifications are made after the commit
    data.body += "\n\nNachtrag."
    update_practice(user("mkoch"), practice, data)
    db.session.commit()
    assert [n.reason for n in _notifications("jlehmann")] == ["published", "updated"]
    assert _notifications("mkoch") == []  # the one who made the change is not told


def test_collection_watch(session):
    collection = db.session.scalars(
        sa.select(Collection).where(Collection.slug == "ki-einstieg-handwerk")
    ).one()
    practice = make_practice(title="Wird gesammelt", status="draft")
    add_practice(user("mkoch"), collection, practice)
    operations.watch(user("jlehmann"), WatchTarget.COLLECTION, str(collection.id))
    data = practice_data(practice)
    data.status = "published"
    update_practice(None, practice, data)
    db.session.commit()
    assert [n.practice.title for n in _notifications("jlehmann")] == ["Wird gesammelt"]


def test_follow_in_the_browser_unread_count_and_mark_read(client, session, login_as):
    login_as("jlehmann")
    token = csrf_token(client, "/sectors/I")
    response = client.post(
        "/watch", data={"csrf_token": token, "target": "sector", "key": "I", "next": "/sectors/I"}
    )
    assert response.headers["Location"] == "/sectors/I"
    assert 'aria-pressed="true"' in client.get("/sectors/I").get_data(as_text=True)
    make_practice(title="Hotel mit Chatbot", sectors=["I"])
    make_practice(title="Pension mit Kasse", sectors=["I"])
    page = client.get("/").get_data(as_text=True)
    assert '<span class="badge-count">2' in page
    notes = client.get("/notifications").get_data(as_text=True)
    assert "Hotel mit Chatbot" in notes and "Pension mit Kasse" in notes
    client.post("/notifications/read", data={"csrf_token": csrf_token(client, "/notifications")})
    assert "badge-count" not in client.get("/").get_data(as_text=True)
    client.post("/watch", data={"csrf_token": token, "target": "sector", "key": "I"})  # unfollow
    assert 'aria-pressed="false"' in client.get("/sectors/I").get_data(as_text=True)


def test_following_needs_login_csrf_and_real_targets(client, session, login_as):
    # Pins issue-13 rule 13: anonymous with a valid CSRF token is sent to the login page
    token = csrf_token(client, "/login")
    response = client.post("/watch", data={"csrf_token": token, "target": "sector", "key": "C"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    login_as("jlehmann")
    assert client.post("/watch", data={"target": "sector", "key": "C"}).status_code == 400
    token = csrf_token(client, "/")
    assert (
        client.post("/watch", data={"csrf_token": token, "target": "sector", "key": "Z"}).status_code == 404
    )
    assert (
        client.post("/watch", data={"csrf_token": token, "target": "planet", "key": "x"}).status_code == 400
    )
    hidden = make_practice(title="Verborgen", status="draft", centre="zz-thueringen")
    response = client.post("/watch", data={"csrf_token": token, "target": "practice", "key": str(hidden.id)})
    assert response.status_code == 404


def test_digest_mails_only_visible_unmailed_notifications(app, session):
    reader = user("jlehmann")
    operations.set_digest(reader, "daily")
    operations.watch(reader, WatchTarget.TAG, "schichtplanung")
    visible = make_practice(title="Sichtbare Schichtplanung", tags=["schichtplanung"])
    later_hidden = make_practice(title="Später zurückgezogen", tags=["schichtplanung"])
    data = practice_data(later_hidden)
    data.status = "draft"
    data.centre = "zz-thueringen"
    update_practice(None, later_hidden, data)  # no longer visible to the reader at sending time
    db.session.commit()
    mail = Path(app.instance_path) / "mail"
    before = set(mail.glob("*.eml")) if mail.exists() else set()
    report = send_digests()
    assert (report.users, report.notifications, report.delivery) == (1, 1, "files")
    (eml,) = set(mail.glob("*.eml")) - before
    message = message_from_bytes(eml.read_bytes())
    assert message["To"] == reader.email
    body = message.get_payload(decode=True).decode("utf-8")
    assert visible.title in body and f"/practices/{visible.slug}" in body
    assert "Später zurückgezogen" not in body
    assert send_digests().users == 0  # not due again within a day
    assert send_digests(now=utcnow() + timedelta(days=1)).notifications == 0  # nothing is mailed twice


def test_account_page_sets_digest(client, session, login_as):
    """Rule: the digest is chosen on the account page (issue 14 moved it from /profile)."""
    login_as("jlehmann")
    token = csrf_token(client, "/account")
    data = {"csrf_token": token, "name": "Jana Lehmann", "email": "jana.lehmann@zz-sachsen.example", "language": "de"}
    assert client.post("/account", data={**data, "digest": "weekly"}).status_code == 302
    assert user("jlehmann").digest == "weekly"
    assert client.post("/account", data={**data, "digest": "hourly"}).status_code == 400
    assert user("jlehmann").digest == "weekly"
