"""An adviser prepares a meeting with a 12-person carpentry in Thüringen."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.e2e


def test_adviser_goes_from_client_profile_to_a_practice(live_server, page):
    page.goto(live_server + "/")
    page.get_by_role("link", name="Für meinen Kunden").click()
    page.get_by_label("Branche des Betriebs").select_option("C")
    page.get_by_label("Unternehmensgröße").select_option("small")
    page.get_by_label("Bundesland").select_option("DE-TH")
    page.get_by_label("Künstliche Intelligenz").check()
    page.get_by_role("button", name="Praxisbeispiele finden").click()
    page.wait_for_url(re.compile(r"/match\?.*sector=C"))
    first = page.locator(".match-card").first
    assert "Warum es passt:" in first.inner_text()
    assert "gleiche Branche (C)" in first.inner_text()
    assert page.locator(".match-warning").count() >= 1  # what failed for similar businesses is shown
    title = first.locator(".card-title a").inner_text()
    first.locator(".card-title a").click()
    page.wait_for_url(re.compile(r"/practices/[a-z0-9-]+$"))
    assert page.locator("h1").inner_text() == title
