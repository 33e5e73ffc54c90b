"""The search page and the client-matching form on a phone (390 × 844 CSS pixels), issue 16 item 5.

Pins the phone layout: the header takes less than a quarter of the screen; on the search page the
result count and results come before the filters, which sit in a disclosure that is closed by
default and says how many filters are active, with the active filters as chips at the top; the
matching form's topic checkboxes sit on the line of their labels. axe-core finds nothing. Screenshots
go to the test's tmp folder; their paths are printed (``pytest -s``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.axe import violations

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    """A phone-sized page whose Content-Security-Policy lets the test inject axe-core."""
    context = browser.new_context(
        locale="de-DE", viewport=PHONE, bypass_csp=True, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _box(page, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not rendered"
    return box


def _screenshot(page, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")


def test_search_page_on_a_phone(live_server, phone, tmp_path):
    """Results before filters, filters folded with their active count, chips on top, a short header."""
    page = phone
    page.goto(live_server + "/search?q=Schulung&kind=case-study&kind=best-practice&size=small")
    _screenshot(page, tmp_path, "search-phone")

    assert _box(page, ".site-header")["height"] < 0.25 * PHONE["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing sideways

    count, results, filters = (
        _box(page, ".results-count"),
        _box(page, ".results"),
        _box(page, ".facets-disclosure"),
    )
    assert results["y"] < filters["y"] and count["y"] < filters["y"]
    assert count["y"] < PHONE["height"] and _box(page, ".search-hit")["y"] < PHONE["height"]  # no scrolling
    assert _box(page, ".chips")["y"] < count["y"]
    assert page.locator(".chip").count() == 3

    disclosure = page.locator("details.facets-disclosure")
    assert disclosure.get_attribute("open") is None
    assert page.locator(".facets-disclosure > summary").inner_text() == "Filter (3 aktiv)"
    assert not page.locator(".facet").first.is_visible()
    assert violations(page) == [], "search page on a phone, filters folded"

    page.locator(".facets-disclosure > summary").click()
    assert page.locator(".facet").first.is_visible()
    _screenshot(page, tmp_path, "search-phone-filters-open")
    assert violations(page) == [], "search page on a phone, filters unfolded"


def test_search_page_without_filters_says_filter(live_server, phone):
    """Without an active filter the disclosure is just "Filter" and no chips are shown."""
    phone.goto(live_server + "/search?q=Schulung")
    assert phone.locator(".facets-disclosure > summary").inner_text() == "Filter"
    assert phone.locator(".chip").count() == 0


def test_wide_screen_keeps_the_filters_as_an_open_sidebar(live_server, page):
    """On a desktop the filters stay an unfolded sidebar left of the results (no disclosure to open)."""
    page.goto(live_server + "/search?q=Schulung&kind=case-study")
    assert not page.locator(".facets-disclosure > summary").is_visible()
    assert page.locator(".facet").first.is_visible()
    facets, results = _box(page, ".facets-disclosure"), _box(page, ".results")
    assert facets["x"] + facets["width"] <= results["x"] and abs(facets["y"] - results["y"]) < 5


def test_matching_form_on_a_phone(live_server, phone, tmp_path):
    """Each topic checkbox sits on the line of its label, at the left edge of the form."""
    page = phone
    page.goto(live_server + "/match")
    _screenshot(page, tmp_path, "matching-phone")
    assert _box(page, ".site-header")["height"] < 0.25 * PHONE["height"]
    choices = page.locator("fieldset .choice")
    assert choices.count() > 3
    lefts = set()
    for index in range(choices.count()):
        choice = choices.nth(index)
        box, label = choice.locator("input").bounding_box(), choice.locator("label").bounding_box()
        assert box and label
        # vertically: the checkbox's middle lies within the label's first line
        assert label["y"] <= box["y"] + box["height"] / 2 <= label["y"] + min(label["height"], 1.6 * 16)
        assert box["x"] + box["width"] <= label["x"] and box["width"] < 40
        lefts.add(round(box["x"]))
    assert len(lefts) == 1  # all checkboxes in one column, not centred and ragged
    assert violations(page) == [], "matching form on a phone"
