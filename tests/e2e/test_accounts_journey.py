"""Issue 14 in the browser: an invited contributor joins through the link in the .eml, logs in;
changes her password, turns on the second factor and logs in with a code; "log out everywhere" ends a
second browser's session; a member recovers a forgotten password through the link in the .eml. axe-core checks the pages
that need a mailed link (join, choose a new password), with and without field errors."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyotp
import pytest

from tests.e2e.axe import violations
from tests.mailbox import link_in, mails_to
from tests.support import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "Kranich-Tapete-Vollmond-17"
CHANGED_PASSWORD = "Leuchtturm-Brezel-Nordwind-42"


def _log_in(page, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(base + "/login")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort", exact=True).fill(password)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(lambda url: "/login" not in url)


def _log_out(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Abmelden").click()


def test_admin_invites_a_contributor_who_joins_from_the_mail_and_logs_in(live_server, live_mail: Path, audit_page):
    page = audit_page
    """Rule: invitation mail → join page → own password → login with the invited role."""
    address = "nora.neu@zz-thueringen.example"
    _log_in(page, live_server, "admin")
    page.get_by_role("link", name="Einladungen").click()
    page.get_by_label("E-Mail").fill(address)
    page.get_by_label("Rolle").select_option("contributor")
    page.get_by_label("Zentrum").select_option("zz-thueringen")
    page.get_by_role("button", name="Einladung senden").click()
    page.get_by_role("row", name=address).wait_for()
    _log_out(page)

    (mail,) = mails_to(live_mail, address)
    page.goto(live_server + link_in(mail, "/join/"))
    assert violations(page) == [], "join page"
    page.get_by_role("button", name="Mein Konto anlegen").click()
    page.locator(".form-summary").wait_for()
    assert violations(page) == [], "join page with field errors"
    page.get_by_label("Benutzername").fill("nneu")
    page.get_by_label("Name", exact=True).fill("Nora Neu")
    page.get_by_label("Neues Passwort", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Neues Passwort wiederholen").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Mein Konto anlegen").click()
    page.wait_for_url(lambda url: url.endswith("/login"))

    _log_in(page, live_server, "nneu", NEW_PASSWORD)
    assert page.get_by_role("link", name="Nora Neu (Autor:in)").is_visible()
    assert page.get_by_role("link", name="Neues Praxisbeispiel").is_visible()

    # she changes her password on her account page …
    page.get_by_role("link", name="Nora Neu (Autor:in)").click()
    assert violations(page) == [], "account page"
    page.get_by_label("Aktuelles Passwort").fill(NEW_PASSWORD)
    page.get_by_label("Neues Passwort", exact=True).fill(CHANGED_PASSWORD)
    page.get_by_label("Neues Passwort wiederholen").fill(CHANGED_PASSWORD)
    page.get_by_role("button", name="Passwort ändern").click()
    page.get_by_text("Ihr Passwort ist geändert.").wait_for()

    # … turns on the second factor with the key the page shows …
    page.get_by_role("link", name="Zweiten Faktor einschalten").click()
    assert page.locator(".qr svg").is_visible()
    assert violations(page) == [], "second factor set-up"
    secret = page.locator("code.secret-key").inner_text()
    page.get_by_label("Code aus der App").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Einschalten").click()
    page.get_by_role("heading", name="Ihre Wiederherstellungscodes").wait_for()
    assert page.locator(".recovery-codes li").count() == 10
    _log_out(page)

    # … and logs in with password and a code from the app
    page.goto(live_server + "/login")
    page.get_by_label("Benutzername").fill("nneu")
    page.get_by_label("Passwort", exact=True).fill(CHANGED_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_label("Code").wait_for()
    assert violations(page) == [], "code step"
    page.get_by_label("Code").fill(pyotp.TOTP(secret).at(datetime.now(UTC), counter_offset=1))
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(lambda url: "/login" not in url)
    assert page.get_by_role("link", name="Nora Neu (Autor:in)").is_visible()


def test_log_out_everywhere_ends_the_session_of_a_second_browser(live_server, browser, page):
    """Rule: "Überall abmelden" on /account ends every session of the account, other browsers too."""
    other_context = browser.new_context(locale="de-DE")
    other = other_context.new_page()
    try:
        _log_in(other, live_server, "lpetersen")
        _log_in(page, live_server, "lpetersen")
        page.goto(live_server + "/account")
        with page.expect_navigation():
            page.get_by_role("button", name="Überall abmelden").click()
        other.goto(live_server + "/account")
        assert "/login" in other.url
    finally:
        other_context.close()


def test_a_member_recovers_a_forgotten_password_from_the_mail(live_server, live_mail: Path, audit_page):
    page = audit_page
    """Rule: "Passwort vergessen?" → link in the .eml → new password → login with it. (An account no
    other browser test logs in with: the live server's database is shared.)"""
    address = "katrin.wagner@zz-brandenburg.example"
    page.goto(live_server + "/login")
    page.get_by_role("link", name="Passwort vergessen?").click()
    page.get_by_label("E-Mail").fill(address)
    page.get_by_role("button", name="Link senden").click()
    page.get_by_role("heading", name="Bitte sehen Sie in Ihr Postfach").wait_for()

    mail = mails_to(live_mail, address)[-1]
    page.goto(live_server + link_in(mail, "/password/reset/"))
    assert violations(page) == [], "new password page"
    page.get_by_label("Neues Passwort", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Neues Passwort wiederholen").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Passwort speichern").click()
    page.wait_for_url(lambda url: url.endswith("/login"))
    _log_in(page, live_server, "kwagner", NEW_PASSWORD)
    assert page.get_by_role("link", name="Katrin Wagner (Autor:in)").is_visible()
