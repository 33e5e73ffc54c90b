"""One logging setup (issue 17 item 3): to stderr as text or JSON, a request id in every line of a
request — taken from ``X-Request-ID`` only behind a trusted proxy — echoed in the response, the user
name when known, and nothing secret."""

from __future__ import annotations

import json
import logging

import pytest

from hub import logging_setup
from tests.support import DEMO_PASSWORD, csrf_token


class Captured:
    """What the hub's handler wrote to stderr (it writes to whatever ``sys.stderr`` is)."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys
        self.text = ""

    def getvalue(self) -> str:
        self.text += self.capsys.readouterr().err
        return self.text


@pytest.fixture
def captured(capsys):
    return Captured(capsys)


@pytest.fixture(autouse=True)
def _restore_logger(base_app):
    """These tests build apps with other log settings: the suite's app gets its handler back."""
    yield
    logging_setup.configure_logger(base_app)


def test_json_lines_carry_request_id_and_user_and_no_secret(other_app, captured):
    app = other_app(LOG_FORMAT="json", LOG_LEVEL="INFO")
    client = app.test_client()
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"username": "mkoch", "password": DEMO_PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    client.get("/profile")
    lines = [json.loads(line) for line in captured.getvalue().splitlines() if line.startswith("{")]
    profile = [line for line in lines if line["message"].startswith("GET /profile")]
    assert profile and profile[-1]["user"] == "mkoch" and len(profile[-1]["request_id"]) == 32
    assert all(line["request_id"] != "-" for line in lines if line["logger"] == "hub.requests")
    text = captured.getvalue()
    assert DEMO_PASSWORD not in text and token not in text
    assert client.get_cookie("session").value not in text


def test_request_id_from_a_trusted_proxy_only(other_app, captured):
    """Without HUB_PROXIES a client cannot choose the id; behind a trusted proxy its id is kept."""
    direct = other_app().test_client()
    answer = direct.get("/healthz", headers={"X-Request-ID": "chosen-by-client"})
    assert answer.headers["X-Request-ID"] != "chosen-by-client" and len(answer.headers["X-Request-ID"]) == 32
    proxied = other_app(PROXIES=1).test_client()
    answer = proxied.get("/healthz", headers={"X-Request-ID": "edge-4711"})
    assert answer.headers["X-Request-ID"] == "edge-4711"
    assert "[edge-4711 -] GET /healthz 200" in captured.getvalue()
    garbage = proxied.get("/healthz", headers={"X-Request-ID": "x" * 500})
    assert garbage.headers["X-Request-ID"] != "x" * 500


def test_lines_outside_a_request_and_feature_loggers_share_the_format(other_app, captured):
    other_app(LOG_FORMAT="text")
    logging.getLogger("hub.search").warning("index busy")
    assert "WARNING hub.search [- -] index busy" in captured.getvalue()


def test_unknown_log_format_is_refused(other_app, captured):
    with pytest.raises(ValueError, match="text or json"):
        other_app(LOG_FORMAT="xml")
