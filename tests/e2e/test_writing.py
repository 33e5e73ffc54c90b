"""A contributor writes a practice with live preview, submits it; a coordinator approves it; an
anonymous visitor finds it on the start page."""

from __future__ import annotations

import re

import pytest

from tests.support import DEMO_PASSWORD

pytestmark = pytest.mark.e2e


def log_in(page, base: str, username: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(r"^(?!.*/login)"))


def test_write_submit_approve_and_find(live_server, browser):
    title = "Digitale Schichtplanung in der Bäckerei Sommer"
    contributor = browser.new_context(locale="de-DE")
    page = contributor.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, "aschmidt")
    page.get_by_role("link", name="Neues Praxisbeispiel").click()
    page.wait_for_url(re.compile(r"/practices/new$"))
    page.get_by_label("Titel", exact=True).fill(title)
    page.get_by_label("Zusammenfassung").fill("Eine Bäckerei plant Schichten digital statt auf Papier.")
    page.locator("input[name=sectors][value=C]").check()
    page.locator("input[name=sizes][value=small]").check()
    page.locator("input[name=topics][value=prozessdigitalisierung]").check()
    page.get_by_role("radio", name="Öffentlich").check()
    page.get_by_label("Schlagwörter", exact=True).fill("schichtplanung")

    body = page.locator("#body")
    body.fill("## Ausgangslage\n\nDie Schichten wurden **auf Papier** geplant.")
    preview = page.locator("#preview")
    preview.locator("h2", has_text="Ausgangslage").wait_for()
    assert preview.locator("strong").inner_text() == "auf Papier"
    body.press("End")
    body.type("\n\n## Ergebnis\n\nWeniger Telefonate.")
    preview.locator("h2", has_text="Ergebnis").wait_for()  # the preview follows the typing

    page.get_by_label("Was haben Sie geändert? (optional)").fill("Erste Fassung")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(re.compile(r"/practices/digitale-schichtplanung-in-der-baeckerei-sommer$"))
    assert "Gespeichert" in page.locator(".flashes").inner_text()
    with page.expect_navigation():
        page.get_by_role("button", name="Zur Prüfung einreichen").click()
    assert "In Prüfung" in page.locator(".flashes").inner_text()
    contributor.close()

    coordinator = browser.new_context(locale="de-DE")
    page = coordinator.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, "mkoch")
    page.get_by_role("link", name="Prüfung", exact=True).click()
    card = page.locator(".review-queue li", has_text=title)
    card.get_by_role("button", name="Freigeben und veröffentlichen").click()
    page.wait_for_url(re.compile(r"/review/$"))
    assert "Veröffentlicht" in page.locator(".flashes").inner_text()
    coordinator.close()

    visitor = browser.new_context(locale="de-DE")
    page = visitor.new_page()
    page.goto(live_server + "/")
    newest = page.locator(".home-newest")
    newest.get_by_role("link", name=title).click()
    page.wait_for_url(re.compile(r"/practices/digitale-schichtplanung-in-der-baeckerei-sommer$"))
    assert page.locator("h1").inner_text() == title
    assert page.locator(".practice-body h2", has_text="Ergebnis").count() == 1
    visitor.close()
