"""Prometheus metrics (issue 17 item 5): /metrics only for the bearer of HUB_METRICS_TOKEN (404 when
unset), in the text format, with requests, latencies, search cache, outbox, index, logins and mails."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from prometheus_client.parser import text_string_to_metric_families

from hub import counters
from hub.following import operations as following
from hub.mail import deliver
from hub.models import WatchTarget
from tests.factories import make_practice, user
from tests.support import csrf_token

TOKEN = "metrics-secret-4711"


def _scrape(client) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200 and response.mimetype == "text/plain"
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.get_data(as_text=True))
        for sample in family.samples
    }


def _value(samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def with_token(app, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", TOKEN)
    return app


def test_metrics_are_not_there_without_a_token_setting(client, session):
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404


def test_metrics_need_the_bearer_token(with_token, client, session):
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": f"Basic {TOKEN}"}).status_code == 401


def test_requests_latency_search_cache_outbox_and_index(with_token, client, session):
    before = _scrape(client)
    client.get("/practices/")
    client.get("/search?q=schicht")
    client.get("/search?q=schicht")  # the same search again: from the result cache
    client.get("/api/v1/centres")
    after = _scrape(client)
    assert _value(after, "hub_http_requests_total", endpoint="practices.index", method="GET", status="200") == (
        _value(before, "hub_http_requests_total", endpoint="practices.index", method="GET", status="200") + 1
    )
    for kind in ("page", "search", "api"):
        assert _value(after, "hub_http_request_duration_seconds_count", kind=kind) > _value(
            before, "hub_http_request_duration_seconds_count", kind=kind
        ), kind
    hits = _value(after, "hub_search_result_cache_total", result="hit")
    assert hits >= _value(before, "hub_search_result_cache_total", result="hit") + 1
    folder = client.application.extensions["search"].folder()
    assert _value(after, "hub_outbox_pending_rows", index_folder=folder) == 0
    assert _value(after, "hub_search_index_documents", index_folder=folder) > 0
    assert ("hub_outbox_oldest_pending_age_seconds", (("index_folder", folder),)) in after


def test_failed_logins_and_mails_are_counted(with_token, app, client, session):
    before = _scrape(client)
    token = csrf_token(client, "/login")
    client.post("/login", data={"username": "mkoch", "password": "falsch", "csrf_token": token})
    reader = user("jlehmann")
    following.set_digest(reader, "daily")
    following.watch(reader, WatchTarget.TAG, "schichtplanung")
    make_practice(title="Gezählte Mail", tags=["schichtplanung"])
    assert app.test_cli_runner().invoke(args=["digest", "send"]).exit_code == 0
    after = _scrape(client)
    assert _value(after, "hub_logins_failed_total") == _value(before, "hub_logins_failed_total") + 1
    sent = _value(after, "hub_mails_total", result="sent") - _value(before, "hub_mails_total", result="sent")
    assert sent == 1


def test_a_failing_mail_is_counted_as_failed(app, session, monkeypatch):
    """An SMTP server that cannot be reached: the delivery fails and counts as failed."""

    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", 9)  # discard port: nothing listens
    failed = counters.MAILS.labels("failed")._value.get()
    message = EmailMessage()
    message["To"] = "someone@example.org"
    with pytest.raises(OSError):
        deliver(message)
    assert counters.MAILS.labels("failed")._value.get() == failed + 1
