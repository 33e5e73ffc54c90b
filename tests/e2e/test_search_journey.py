"""An adviser searches: header search in German, highlights, facets and chips, sort, pages, typos.

Also without JavaScript (the search is plain links and forms), and axe-core on the results page
and on a search that finds nothing.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e.axe import violations

pytestmark = pytest.mark.e2e

PER_PAGE = 20


def _count(page) -> int:
    return int(page.locator(".results-count").inner_text().split()[0])


def _search_from_header(page, words: str) -> None:
    field = page.locator("#header-q")
    field.click()
    page.keyboard.press("Control+A")  # on the search page the field holds the current words
    page.keyboard.type(words)
    # Wait for the page of *these* words: on the search page the URL already matches /search?q=.
    with page.expect_navigation(url=lambda url: _query_of(url) == words):
        page.keyboard.press("Enter")


def _query_of(url: str) -> str | None:
    parts = urlsplit(url)
    return parse_qs(parts.query).get("q", [None])[0] if parts.path == "/search" else None


def test_search_journey(live_server, audit_page):
    page = audit_page
    page.goto(live_server + "/practices/")
    # "ae" typed for "ä": finds and highlights "Beschäftigte" (and its inflections).
    _search_from_header(page, "Beschaeftigte")
    assert page.locator("#search-q").input_value() == "Beschaeftigte"
    total = _count(page)
    hits = page.locator(".search-hit")
    assert hits.count() == min(total, PER_PAGE) > 0
    marks = [m.lower() for m in page.locator(".search-hit mark").all_inner_texts()]
    assert any(m.startswith("beschäftigt") for m in marks), marks
    assert violations(page) == [], "results page"

    # A facet filter narrows the results and shows as a chip …
    sector = page.locator(".facet").filter(has=page.get_by_role("heading", name="Branche", exact=True))
    first_value = sector.locator("a").first
    label = first_value.inner_text()
    expected = int(sector.locator(".count").first.inner_text().strip("()"))
    first_value.click()
    page.wait_for_url(re.compile(r"[?&]sector="))
    assert _count(page) == expected < total
    chip = page.locator(".chip")
    assert chip.count() == 1 and label in chip.inner_text() and "Branche" in chip.inner_text()
    # … which removes it again.
    chip.click()
    page.wait_for_url(lambda url: "sector=" not in url)
    assert page.locator(".chip").count() == 0 and _count(page) == total

    # Newest first.
    page.locator("nav.sort").get_by_role("link", name="Neueste").click()
    page.wait_for_url(re.compile(r"sort=newest"))
    assert page.locator('nav.sort [aria-current="true"]').inner_text() == "Neueste"
    assert _count(page) == total

    # Page 2 when there is one.
    pagination = page.locator("nav.pagination")
    if total > PER_PAGE:
        pagination.locator('a[rel="next"]').click()
        page.wait_for_url(re.compile(r"page=2"))
        assert "sort=newest" in page.url
        assert page.locator(".search-hit").count() == min(total - PER_PAGE, PER_PAGE)
        assert page.locator("ol.hits").get_attribute("start") == str(PER_PAGE + 1)
    else:
        assert pagination.count() == 0

    # A typo: "Meinten Sie …?" leads to the corrected search.
    _search_from_header(page, "Schichtplnung")
    suggestion = page.locator(".suggestion")
    assert "Meinten Sie" in suggestion.inner_text()
    suggestion.get_by_role("link", name="Schichtplanung", exact=True).click()  # spelled as practices write it
    page.wait_for_url(re.compile(r"q=Schichtplanung"))
    assert _count(page) > 0 and page.locator(".suggestion").count() == 0
    assert page.locator(".search-hit mark").count() > 0

    # Nothing found: a clear message, still accessible.
    _search_from_header(page, "Zzyzxquorkel")
    assert _count(page) == 0
    assert page.get_by_text("Kein Praxisbeispiel passt zu dieser Suche.").is_visible()
    assert violations(page) == [], "empty results page"


def test_search_and_filter_work_without_javascript(live_server, browser):
    context = browser.new_context(locale="de-DE", java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(live_server + "/")
        page.locator("#header-q").fill("Schulungen")
        page.locator("#header-q").press("Enter")
        page.wait_for_url(re.compile(r"/search\?q=Schulungen"))
        total = _count(page)
        assert total > 0 and page.locator(".search-hit mark").count() > 0
        kind = page.locator(".facet").filter(has=page.get_by_role("heading", name="Art", exact=True))
        kind.locator("a").first.click()
        page.wait_for_url(re.compile(r"kind="))
        assert 0 < _count(page) <= total and page.locator(".chip").count() == 1
        # The big search form keeps the filter when the words change.
        page.locator("#search-q").fill("Schulung")
        page.get_by_role("button", name="Suchen", exact=True).last.click()
        page.wait_for_url(lambda url: _query_of(url) == "Schulung" and "kind=" in url)
        assert page.locator(".chip").count() == 1
    finally:
        context.close()
