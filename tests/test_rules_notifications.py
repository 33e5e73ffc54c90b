"""Issue 13 rule 14: notifications respect visibility — a case where the visibility rule, not the
status alone, decides who still sees a notification (shown and mailed)."""

from __future__ import annotations

from email import message_from_bytes
from pathlib import Path

from hub.extensions import db
from hub.following import operations
from hub.following.digest import send_digests
from hub.models import WatchTarget
from hub.practices.operations import practice_data, update_practice
from tests.factories import make_practice, user
from tests.support import logout


def _new_mails(folder: Path, old: set[Path]) -> dict[str, str]:
    """Recipient → text of the mails written since ``old`` (the folder is shared with other tests)."""
    found = {}
    for path in set(folder.glob("*.eml")) - old if folder.exists() else []:
        message = message_from_bytes(path.read_bytes())
        found[message["To"]] = message.get_payload(decode=True).decode("utf-8")
    return found


def test_a_draft_again_stays_notified_to_its_centre_only(app, client, session, login_as):
    """Pins issue-13 rule 14: two contributors follow a tag; a practice of zz-sachsen is published
    (both are notified), then goes back to draft. The draft is visible to the contributor of
    zz-sachsen and not to the one of zz-thueringen — same status, different visibility: only the
    first still sees the notification (list, unread count, page) and gets it mailed."""
    own, other = user("tbauer"), user("aschmidt")  # contributors of zz-sachsen and zz-thueringen
    for watcher in (own, other):
        operations.watch(watcher, WatchTarget.TAG, "nachtfalter")
        operations.set_digest(watcher, "daily")
    practice = make_practice(title="Nachtfalter zählen", tags=["nachtfalter"], centre="zz-sachsen")
    assert [n.practice_id for n in operations.visible_notifications(own)] == [practice.id]
    assert [n.practice_id for n in operations.visible_notifications(other)] == [practice.id]

    data = practice_data(practice)
    data.status = "draft"
    update_practice(None, practice, data)
    db.session.commit()

    assert [n.practice_id for n in operations.visible_notifications(own)] == [practice.id]
    assert operations.visible_notifications(other) == []
    assert (operations.unread_count(own), operations.unread_count(other)) == (1, 0)
    login_as("aschmidt")
    assert "Nachtfalter zählen" not in client.get("/notifications").get_data(as_text=True)
    logout(client)
    login_as("tbauer")
    assert "Nachtfalter zählen" in client.get("/notifications").get_data(as_text=True)

    mail = Path(app.instance_path) / "mail"
    old = set(mail.glob("*.eml")) if mail.exists() else set()
    send_digests()
    sent = _new_mails(mail, old)
    assert "Nachtfalter zählen" in sent[own.email]
    assert other.email not in sent  # nothing else was due for them
