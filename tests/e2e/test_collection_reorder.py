"""A coordinator reorders a collection by drag and drop (buttons remain for keyboards)."""

from __future__ import annotations

import pytest

from tests.support import DEMO_PASSWORD

pytestmark = pytest.mark.e2e


def test_drag_and_drop_reorders(live_server, page):
    page.goto(live_server + "/login?next=/collections/digitale-pflege/edit")
    page.get_by_label("Benutzername").fill("mkoch")
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/collections/digitale-pflege/edit")
    titles = page.locator("ol.item-list > li > a")
    before = titles.all_inner_texts()
    assert len(before) >= 2
    with page.expect_navigation():
        page.locator("ol.item-list > li").nth(len(before) - 1).drag_to(page.locator("ol.item-list > li").first)
    after = page.locator("ol.item-list > li > a").all_inner_texts()
    assert after == [before[-1], *before[:-1]]
    # and back with the keyboard-friendly button
    with page.expect_navigation():
        page.get_by_role("button", name=f"Nach unten: {before[-1]}").click()
    assert page.locator("ol.item-list > li > a").all_inner_texts()[:2] == [before[0], before[-1]]
    # Issue 13 rule 17: leave the shared live server as found — other e2e tests read this collection.
    for _ in range(len(before) - 2):
        with page.expect_navigation():
            page.get_by_role("button", name=f"Nach unten: {before[-1]}").click()
    assert page.locator("ol.item-list > li > a").all_inner_texts() == before
