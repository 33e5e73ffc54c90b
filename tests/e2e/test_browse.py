"""An adviser's first visit: start page → filtered list → practice → login."""

from __future__ import annotations

import re

import pytest

from tests.support import DEMO_PASSWORD

pytestmark = pytest.mark.e2e


def test_start_page_filter_practice_login(live_server, page):
    page.goto(live_server + "/")
    assert page.locator("h1").inner_text() == "Was hat in welcher Branche funktioniert?"
    assert page.locator(".home-newest .card").count() > 0

    page.get_by_role("link", name="Praxisbeispiele", exact=True).first.click()
    page.get_by_label("Branche").select_option("C")
    page.get_by_label("Unternehmensgröße").select_option("small")
    page.get_by_role("button", name="Filter anwenden").click()
    page.wait_for_url(re.compile(r"sector=C"))
    assert "size=small" in page.url
    cards = page.locator(".results .card")
    assert cards.count() > 0
    count_text = page.locator(".results-count").inner_text()
    assert int(count_text.split()[0]) >= cards.count()

    first = cards.first.locator(".card-title a")
    title = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/practices/[a-z0-9-]+$"))
    assert page.locator("h1").inner_text() == title
    assert page.locator(".practice-meta").get_by_text("Verarbeitendes Gewerbe").count() >= 1

    practice_url = page.url
    page.get_by_role("link", name="Anmelden").click()
    page.get_by_label("Benutzername").fill("mkoch")
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(practice_url)
    assert page.get_by_role("button", name="Abmelden").is_visible()
    assert "Markus Koch" in page.locator(".account").inner_text()


def test_keyboard_user_can_skip_to_content(live_server, page):
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
