"""Logging out in the browser ends "stay logged in" too (issue 11, item 3)."""

from __future__ import annotations

import pytest

from tests.support import DEMO_PASSWORD

pytestmark = pytest.mark.e2e


def test_logout_leaves_no_stay_logged_in_cookie(live_server, page):
    """Rule: "Abmelden" deletes the remember cookie, so no later visit is logged in by it."""
    page.goto(live_server + "/login")
    page.get_by_label("Benutzername").fill("mkoch")
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_label("Auf diesem Gerät angemeldet bleiben").check()
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(lambda url: "/login" not in url)
    assert "remember_token" in {cookie["name"] for cookie in page.context.cookies()}

    with page.expect_navigation():
        page.get_by_role("button", name="Abmelden").click()
    assert "remember_token" not in {cookie["name"] for cookie in page.context.cookies()}
    page.goto(live_server + "/profile")
    assert "/login" in page.url
