"""Security rules seen through the browser (issue 11, items 1 and 2): the status buttons never publish
what was not approved, and an API token is no login on the hub's pages."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.e2e.test_writing import log_in

pytestmark = pytest.mark.e2e

PRACTICE_FIELDS = ("title", "kind", "centre", "summary", "sectors", "sizes", "topics", "tags", "visibility",
                   "body", "slug", "authors", "status")


def _context(browser, **options):
    context = browser.new_context(locale="de-DE", **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _new_token(page, base: str, scope: str) -> str:
    """A token made on the account page of the logged-in ``page`` ("nur lesen" or "lesen und schreiben")."""
    page.goto(base + "/account")
    tokens = page.locator("#api-tokens")
    # by name: the label "Name des Tokens" points at id="name", which the account form's name field has too
    tokens.locator("input[name=name]").fill(f"e2e-{uuid.uuid4().hex[:8]}")
    tokens.get_by_label(scope, exact=True).check()
    page.get_by_role("button", name="Token erstellen").click()
    return page.locator("#new-token").input_value()


def _draft_in_the_editor(page, base: str, title: str) -> str:
    """The slug of a new draft written by the logged-in contributor in the web editor."""
    page.goto(base + "/practices/new")
    page.get_by_label("Titel", exact=True).fill(title)
    page.get_by_label("Zusammenfassung").fill("Noch von niemandem geprüft.")
    page.locator("input[name=sectors][value=C]").check()
    page.locator("input[name=sizes][value=small]").check()
    page.locator("input[name=topics][value=prozessdigitalisierung]").check()
    page.get_by_role("radio", name="Öffentlich").check()
    page.locator("#body").fill("## Ausgangslage\n\nNoch nicht freigegeben.")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(re.compile(r"/practices/[a-z0-9-]+$"))
    return page.url.rsplit("/", 1)[1]


def _status(page) -> str:
    """The status the practice page states in its facts list."""
    return (
        page.locator("dt", has_text=re.compile(r"^Status$"))
        .locator("xpath=following-sibling::dd[1]")
        .inner_text()
    )


def _date_the_draft(browser, base: str, slug: str) -> None:
    """A coordinator gives the draft a ``published`` date through the API (coordinators may set the
    workflow dates) — the state of the draft the bug published: dated, never approved."""
    coordinator, page = _context(browser)
    log_in(page, base, "mkoch")
    auth = {"Authorization": f"Bearer {_new_token(page, base, 'lesen und schreiben')}"}
    coordinator.close()
    program = browser.new_context()  # a program: the token, no session cookie
    url = f"{base}/api/v1/practices/{slug}"
    current = program.request.get(url, headers=auth)
    assert current.status == 200
    body = {key: value for key, value in current.json().items() if key in PRACTICE_FIELDS}
    changed = program.request.put(url, headers={**auth, "If-Match": current.headers["etag"]},
                                  data={**body, "published": "2025-01-01"})
    assert changed.status == 200, changed.text()[:500]
    assert changed.json()["status"] == "draft" and changed.json()["published"] == "2025-01-01"
    program.close()


def test_archiving_and_restoring_a_draft_through_the_page_keeps_it_a_draft(live_server, browser):
    """Rule (issue 11 item 1): "Aus dem Archiv holen" returns a practice to published only if it was
    published when archived — a contributor's draft, even one carrying a ``published`` date, comes
    back a draft and stays hidden from the public."""
    title = f"Kundenliste der Tischlerei {uuid.uuid4().hex[:6]}"
    contributor, page = _context(browser)
    log_in(page, live_server, "aschmidt")
    slug = _draft_in_the_editor(page, live_server, title)
    _date_the_draft(browser, live_server, slug)

    page.goto(f"{live_server}/practices/{slug}")
    for button, status in (("Archivieren", "Archiviert"), ("Aus dem Archiv holen", "Entwurf")):
        with page.expect_navigation():
            page.get_by_role("button", name=button).click()
        assert _status(page) == status
    assert "Noch nicht veröffentlicht" in page.locator(".notice-draft").inner_text()
    assert page.get_by_role("button", name="Zur Prüfung einreichen").is_visible()  # a draft's next step
    contributor.close()

    visitor, page = _context(browser)
    response = page.goto(f"{live_server}/practices/{slug}")
    assert response is not None and response.status == 404
    visitor.close()


def test_a_read_token_is_no_login_on_pages(live_server, browser):
    """Rule (issue 11 item 2): ``Authorization: Bearer`` authenticates the API only — on the
    profile and account pages a request carrying only a token is anonymous and goes to the login."""
    member, page = _context(browser)
    log_in(page, live_server, "aschmidt")
    token = _new_token(page, live_server, "nur lesen")
    member.close()

    bearer, page = _context(browser, extra_http_headers={"Authorization": f"Bearer {token}"})
    for path in ("/profile", "/account"):
        page.goto(live_server + path)
        assert "/login" in page.url, path
        assert page.get_by_label("Passwort").is_visible()
    api = page.request.get(live_server + "/api/v1/practices")
    assert api.status == 200 and api.headers["content-type"].startswith("application/json")
    assert isinstance(api.json(), dict | list)
    bearer.close()
