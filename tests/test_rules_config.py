"""Issue 13 rule 12: ``HUB_*`` environment parsing, and HUB_SESSION_COOKIE_SECURE=1 on plain HTTP."""

from __future__ import annotations

import re

import pytest

import config
from tests.support import DEMO_PASSWORD

PLAIN = "http://localhost"
TRUE = ["1", "true", "True", "YES", "on", " 1 "]
FALSE = ["0", "false", "no", "off", "", "2"]


@pytest.mark.parametrize("raw", TRUE)
def test_bool_settings_read_1_true_yes_on_as_true(raw):
    """Pins issue-13 rule 12 (bool): 1/true/yes/on in any case, with surrounding spaces, are true."""
    assert (
        config.settings({"HUB_SESSION_COOKIE_SECURE": raw, "HUB_SMTP_STARTTLS": raw})["SESSION_COOKIE_SECURE"]
        is True
    )


@pytest.mark.parametrize("raw", FALSE)
def test_bool_settings_read_everything_else_as_false(raw):
    """Pins issue-13 rule 12 (bool): anything else — 0, false, no, off, empty — is false; a default of
    true (SMTP_STARTTLS) is switched off the same way."""
    values = config.settings({"HUB_SESSION_COOKIE_SECURE": raw, "HUB_SMTP_STARTTLS": raw})
    assert values["SESSION_COOKIE_SECURE"] is False and values["SMTP_STARTTLS"] is False


def test_int_float_and_str_settings_take_the_type_of_their_default():
    """Pins issue-13 rule 12 (int, float, str): each value is parsed as the type of its default;
    unset names keep the default; names without the HUB_ prefix are ignored."""
    values = config.settings({
        "HUB_PER_PAGE": "7", "HUB_PROXIES": "2", "HUB_SEARCH_LOCK_TIMEOUT": "2.5", "HUB_SEARCH_MERGE_AT": "4",
        "HUB_SMTP_HOST": "mail.example.org", "HUB_DATABASE_URL": "postgresql://hub@db/hub", "PER_PAGE": "99",
        "HUB_SMTP_PORT": "25",
    })
    assert values["PER_PAGE"] == 7 and type(values["PER_PAGE"]) is int
    assert values["PROXIES"] == 2 and type(values["PROXIES"]) is int
    assert values["SMTP_PORT"] == 25 and type(values["SMTP_PORT"]) is int
    assert values["SEARCH_LOCK_TIMEOUT"] == 2.5 and type(values["SEARCH_LOCK_TIMEOUT"]) is float
    assert values["SEARCH_MERGE_AT"] == 4
    assert values["SMTP_HOST"] == "mail.example.org" and values["DATABASE_URL"] == "postgresql://hub@db/hub"
    assert values["REVIEW_INTERVAL_MONTHS"] == 12 and values["LOGIN_WINDOW_SECONDS"] == 300  # unset: defaults
    assert config.settings({"HUB_SEARCH_LOCK_TIMEOUT": "3"})["SEARCH_LOCK_TIMEOUT"] == 3.0
    with pytest.raises(ValueError):
        config.settings({"HUB_PER_PAGE": "zwanzig"})


def test_environment_reaches_the_app(other_app, monkeypatch, tmp_path):
    """Pins issue-13 rule 12: ``create_app`` reads HUB_* from the environment (under the explicit
    config argument)."""
    monkeypatch.setenv("HUB_PER_PAGE", "3")
    monkeypatch.setenv("HUB_REVIEW_INTERVAL_MONTHS", "6")
    app = other_app(tmp_path, REVIEW_INTERVAL_MONTHS=9)
    assert app.config["PER_PAGE"] == 3 and app.config["REVIEW_INTERVAL_MONTHS"] == 9


def _login_cookies(app) -> list[str]:
    """The Set-Cookie headers of the login page and of a login with "stay logged in", over plain HTTP.
    The cookie is sent back by hand: a client would not return a Secure cookie over HTTP."""
    client = app.test_client(use_cookies=False)
    page = client.get("/login", base_url=PLAIN)  # not PREFERRED_URL_SCHEME (https with the setting)
    cookies = page.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.removeprefix("__Host-").startswith("session=")).split(
        ";", 1
    )[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(
        1
    )
    data = {"username": "mkoch", "password": DEMO_PASSWORD, "csrf_token": token, "remember": "y"}
    response = client.post("/login", data=data, headers={"Cookie": session_cookie}, base_url=PLAIN)
    assert response.status_code == 302
    return cookies + response.headers.getlist("Set-Cookie")


@pytest.mark.parametrize(("raw", "secure"), [("1", True), ("0", False), (None, False)])
def test_session_cookie_secure_marks_cookies_secure_on_plain_http(other_app, monkeypatch, raw, secure):
    """Pins issue-13 rule 12: with HUB_SESSION_COOKIE_SECURE=1 the session and "stay logged in"
    cookies set over plain HTTP carry ``Secure``; with 0 or unset they do not (over plain HTTP)."""
    if raw is None:
        monkeypatch.delenv("HUB_SESSION_COOKIE_SECURE", raising=False)
    else:
        monkeypatch.setenv("HUB_SESSION_COOKIE_SECURE", raw)
    cookies = _login_cookies(other_app())
    names = {cookie.split("=", 1)[0].removeprefix("__Host-") for cookie in cookies}  # prefixed when Secure
    assert {"session", "remember_token"} <= names
    assert all(("; Secure" in cookie) is secure for cookie in cookies), cookies
