"""One definition each of "overdue", the review queue, page limits and the filter names (issue 12,
item 4): every page and endpoint that uses one of them answers alike."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from werkzeug.datastructures import MultiDict

from hub.api.openapi import openapi_document
from hub.filters import FILTER_NAMES, LIST_FILTER_NAMES
from hub.paging import MAX_PAGE
from hub.practices.queries import PracticeFilter
from hub.practices.workflow import overdue, overdue_everywhere, review_queue
from hub.saved_searches.criteria import SavedSearch
from hub.search.params import search_request
from tests.factories import make_practice, user


def test_due_today_is_not_yet_overdue_anywhere(client, session, login_as):
    """Rule: overdue = review date in the past (README: "past their review date"). Was ``<= today`` on
    /review/due and ``< today`` on the dashboard."""
    today = date.today()
    due_today = make_practice(status="published", title="Heute fällig", review_due=today)
    past = make_practice(
        status="published", title="Seit gestern fällig", review_due=today - timedelta(days=1)
    )
    assert past in overdue(user("mkoch")) and due_today not in overdue(user("mkoch"))
    assert past in overdue_everywhere() and due_today not in overdue_everywhere()
    login_as("mkoch")
    for url in ("/review/due", "/insights"):
        html = client.get(url).get_data(as_text=True)
        assert "Seit gestern fällig" in html, url
        assert "Heute fällig" not in html, url


def test_the_dashboard_and_review_page_show_the_same_queue(client, session, login_as):
    """Rule: one review queue, oldest submission first, on /review and the dashboard."""
    waiting = make_practice(status="review", title="Wartet auf Prüfung")
    assert waiting in review_queue()
    login_as("mkoch")
    for url in ("/review/", "/insights"):
        assert "Wartet auf Prüfung" in client.get(url).get_data(as_text=True), url


@pytest.mark.parametrize("endpoint", ["/api/v1/practices", "/api/v1/search"])
def test_the_api_lists_share_one_page_limit(client, session, endpoint):
    """Rule: one page limit (was 10,000 for /api/v1/practices and 1,000 for /api/v1/search)."""
    assert client.get(f"{endpoint}?page={MAX_PAGE}").status_code == 200
    assert client.get(f"{endpoint}?page={MAX_PAGE + 1}").status_code == 400


def test_openapi_documents_the_same_page_limits_and_filters(app, session):
    """Rule: OpenAPI takes page limits and filter names from the one definition."""
    paths = openapi_document()["paths"]
    for path, names in (("/practices", LIST_FILTER_NAMES), ("/search", FILTER_NAMES)):
        parameters = {p["name"]: p for p in paths[path]["get"]["parameters"]}
        assert parameters["page"]["schema"]["maximum"] == MAX_PAGE, path
        assert parameters["per_page"]["schema"]["maximum"] == app.config["SEARCH_PER_PAGE_MAX"], path
        assert set(names) <= set(parameters), path


def test_lists_search_and_saved_searches_read_the_same_filter_names(app):
    """Rule: one list of filter names; each reader of URL parameters knows every one of them."""
    args = MultiDict([(name, f"wert-{name}") for name in FILTER_NAMES])
    assert set(search_request(args).filters) == set(FILTER_NAMES)
    assert set(SavedSearch.from_args(args).filters) == set(FILTER_NAMES)
    listed = PracticeFilter.from_args(args)
    assert {name for name, _value in listed.as_args()} == set(LIST_FILTER_NAMES)
