"""Robustness (issue 11, item 18): one bad address does not stop the digests of everyone else, and
the instance secret key is created whole, readable by its owner only, once for racing workers."""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

from hub import _instance_secret
from hub.extensions import db
from hub.following import operations
from hub.following.digest import send_digests
from hub.models import WatchTarget
from tests.factories import make_practice, user


def test_a_bad_address_does_not_stop_the_other_digests(app, session):
    """Rule: in file mode every address gives a file inside the mail folder; an address that cannot
    be mailed at all is reported, and the digests of the others are still sent."""
    addresses = {
        "jlehmann": "jana/../../x@zz.example",
        "tbauer": "t@zz.example\nBcc: alle@zz.example",
        "kwagner": "katrin@zz.example",
    }
    for username, address in addresses.items():
        member = user(username)
        member.email = address
        operations.set_digest(member, "daily")
        operations.watch(member, WatchTarget.TAG, "schichtplanung")
    make_practice(title="Schichtplanung für alle", tags=["schichtplanung"])
    db.session.commit()
    mail = Path(app.instance_path) / "mail"
    before = set(mail.iterdir()) if mail.exists() else set()
    report = send_digests()
    assert report.users == 2
    assert len(report.failed) == 1 and "Bcc" in report.failed[0]
    written = set(mail.iterdir()) - before
    assert len(written) == 2 and all(path.parent == mail and path.is_file() for path in written)


def test_racing_workers_share_one_secret_key_created_private():
    """Rule: the key file is created atomically with mode 600; racing workers all get the winner's key."""
    for _ in range(100):
        instance = Path(tempfile.mkdtemp())
        barrier = threading.Barrier(3)
        keys: list[str] = []

        def start(
            barrier: threading.Barrier = barrier, instance: Path = instance, keys: list[str] = keys
        ) -> None:
            barrier.wait()
            keys.append(_instance_secret(instance))

        workers = [threading.Thread(target=start) for _ in range(3)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        assert len(set(keys)) == 1 and len(keys[0]) == 64
        assert os.stat(instance / "secret_key").st_mode & 0o777 == 0o600
        assert [p.name for p in instance.iterdir()] == ["secret_key"]  # no drafts left behind
