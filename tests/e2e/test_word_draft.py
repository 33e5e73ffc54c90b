"""A contributor turns a Word report into a draft in one step, completes it and saves: the practice
carries the original file; the attachment page passes axe."""

from __future__ import annotations

import re

import pytest

from tests.e2e.axe import violations
from tests.e2e.test_writing import log_in
from tests.sample_files import word_report

pytestmark = pytest.mark.e2e

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_word_report_becomes_a_draft_with_the_original_attached(live_server, browser):
    """Rule: "Aus Word-Datei übernehmen" fills the editor; saving attaches the original."""
    context = browser.new_context(locale="de-DE", bypass_csp=True)  # axe is injected as a script
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, "aschmidt")
    page.goto(live_server + "/practices/new")
    page.get_by_label("Word- oder OpenDocument-Textdatei (.docx, .odt)").set_input_files(
        {"name": "Zeiterfassung.docx", "mimeType": DOCX_TYPE, "buffer": word_report()}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Aus Word-Datei übernehmen").click()
    assert "Zeiterfassung.docx" in page.locator(".notice").inner_text()
    assert page.get_by_label("Titel", exact=True).input_value() == "Digitale Zeiterfassung im Handwerk"
    assert "| Kosten | Nutzen |" in page.locator("#body").input_value()
    page.locator("#preview table").wait_for()  # the live preview renders the converted table
    page.get_by_label("Zusammenfassung").fill("Ein Handwerksbetrieb erfasst Arbeitszeiten per App.")
    page.locator("input[name=sectors][value=F]").check()
    page.locator("input[name=sizes][value=small]").check()
    page.locator("input[name=topics][value=prozessdigitalisierung]").check()
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(re.compile(r"/practices/digitale-zeiterfassung-im-handwerk$"))
    files = page.locator(".attachment-list")
    assert "Zeiterfassung" in files.inner_text() and "Word" in files.inner_text()
    page.get_by_role("link", name="Dateien").click()
    page.wait_for_url(re.compile(r"/attachments$"))
    assert violations(page) == [], "attachment page"
    context.close()
