"""axe-core (the copy shipped in axe-playwright-python) finds no WCAG 2.1 A/AA violation."""

from __future__ import annotations

import pytest

from tests.e2e.axe import violations
from tests.support import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

PAGES = [
    "/",
    "/practices/",
    "/practices/?sector=C&size=small",
    "/practices/?q=Schulungen&sector=C",
    "/practices/ki-angebote-tischlerei",
    "/practices/ki-angebote-tischlerei/history",
    "/sectors/",
    "/sectors/C",
    "/topics/",
    "/centres/",
    "/tags/",
    "/collections/",
    "/collections/ki-einstieg-handwerk",
    "/collections/digitale-pflege",  # with the matches of its saved search
    "/search?q=Pflege&sector=Q",
    "/login",
    "/password/forgot",
    "/password/reset/kein-gueltiger-link",  # the "link no longer valid" page
    "/gibt-es-nicht",
    "/match",
    "/match?sector=C&size=small&state=DE-TH&topic=kuenstliche-intelligenz",
    "/api/docs",
]


MEMBER_PAGES = [
    "/practices/",
    "/collections/new",
    "/collections/ki-einstieg-handwerk/edit",
    "/collections/digitale-pflege/edit",  # the saved-search fields filled in
    "/search?q=Pflege&sector=Q",  # with the follow button
    "/notifications",
    "/profile",
    "/account",
    "/account/second-factor",  # with its QR code
    "/sectors/C",
    "/insights",
    "/evidence?topic=kuenstliche-intelligenz",
    "/match?sector=C&size=small",
]
ADMIN_PAGES = ["/admin/users", "/admin/users/mkoch", "/admin/users/new", "/invitations", "/admin/audit", "/admin/audit?since=gestern"]


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_wcag_violation(live_server, audit_page, path):
    page = audit_page
    page.goto(live_server + path)
    assert violations(page) == []


def test_pages_of_a_logged_in_member_have_no_violation(live_server, audit_page):
    page = audit_page
    page.goto(live_server + "/login")
    page.get_by_label("Benutzername").fill("mkoch")
    page.get_by_label("Passwort").fill("falsch")
    with page.expect_navigation():  # the answer to the POST, not the form before it
        page.get_by_role("button", name="Anmelden").click()
    assert violations(page) == [], "login form with field errors"
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(lambda url: "/login" not in url)
    for path in MEMBER_PAGES:
        page.goto(live_server + path)
        assert violations(page) == [], path


def test_admin_pages_have_no_violation(live_server, audit_page):
    page = audit_page
    page.goto(live_server + "/login")
    page.get_by_label("Benutzername").fill("admin")
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(lambda url: "/login" not in url)
    for path in ADMIN_PAGES:
        page.goto(live_server + path)
        assert violations(page) == [], path


def _log_in(page, base: str, username: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(lambda url: "/login" not in url)


def test_writing_pages_have_no_violation(live_server, audit_page):
    """Editor (empty, with field errors, with preview), conflict page, history and diff."""
    page = audit_page
    base = live_server
    _log_in(page, base, "aschmidt")
    page.goto(base + "/practices/new")
    assert violations(page) == [], "editor"
    page.get_by_role("button", name="Speichern").click()
    page.locator(".error-summary").wait_for()
    assert violations(page) == [], "editor with field errors"

    edit = base + "/practices/ki-angebote-tischlerei/edit"
    page.goto(edit)
    other = page.context.new_page()
    other.goto(edit)
    other.locator("#body").fill("Eine ganz neue Fassung aus dem zweiten Fenster.")
    other.get_by_role("button", name="Speichern").click()
    other.wait_for_url(lambda url: not url.endswith("/edit"))
    other.close()
    page.locator("#body").fill("Meine eigene Fassung.")
    page.get_by_role("button", name="Speichern").click()
    page.locator(".conflict").wait_for()
    assert violations(page) == [], "conflict page"

    page.goto(base + "/practices/ki-angebote-tischlerei/history")
    assert violations(page) == [], "history"
    page.goto(base + "/practices/ki-angebote-tischlerei/diff?from=1&to=2")
    assert page.locator("ins").count() > 0
    assert violations(page) == [], "diff"
    page.goto(base + "/review/due")
    assert violations(page) == [], "to check"


def test_coordinator_pages_have_no_violation(live_server, audit_page):
    page = audit_page
    _log_in(page, live_server, "mkoch")
    for path in ("/review/", "/review/due", "/tags/manage/", "/practices/ki-angebote-tischlerei"):
        page.goto(live_server + path)
        assert violations(page) == [], path
