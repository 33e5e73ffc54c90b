"""Issue 11, items 4 and 5 through the browser: a practice whose body is made to be slow to render, and
the diff of two such revisions, load (the live preview too) — the page is bounded, not the input."""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_writing import log_in

pytestmark = pytest.mark.e2e

WORDS = [f"wort{n % 50}" for n in range(2000)]
FIRST = "Einleitung.\n\n" + "[" * 100_000 + "\n\n" + " ".join(WORDS)
SECOND = (
    "Einleitung.\n\n"
    + "[a](" * 25_000
    + "\n\n"
    + " ".join(w if n % 3 else w + "x" for n, w in enumerate(WORDS))
)


def test_pathological_practice_and_diff_pages_load(live_server, browser):
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(30_000)
    log_in(page, live_server, "mkoch")
    page.goto(live_server + "/practices/new")
    page.get_by_label("Titel", exact=True).fill("Klammern ohne Ende")
    page.get_by_label("Zusammenfassung").fill("Ein Text, der den Markdown-Parser ins Schwitzen bringen soll.")
    page.locator("input[name=sectors][value=C]").check()
    page.locator("input[name=sizes][value=small]").check()
    page.locator("input[name=topics][value=prozessdigitalisierung]").check()
    page.get_by_role("radio", name="Öffentlich").check()
    page.locator("#body").fill(FIRST)
    page.locator("#preview").get_by_text("Einleitung.").wait_for()  # the live preview answers
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(re.compile(r"/practices/klammern-ohne-ende$"))
    assert "[[[[[[[[" in page.locator(".practice-body").inner_text()

    page.goto(live_server + "/practices/klammern-ohne-ende/edit")
    page.locator("#body").fill(SECOND)
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(re.compile(r"/practices/klammern-ohne-ende$"))
    assert "[a](" in page.locator(".practice-body").inner_text()

    page.goto(live_server + "/practices/klammern-ohne-ende/history")
    page.get_by_role("link", name="Änderungen in Version 2").click()
    page.wait_for_url(re.compile(r"/diff\?"))
    assert page.locator("h1").inner_text() == "Version 1 im Vergleich mit Version 2"
    assert page.locator(".diff-body ins").count() > 0
    assert page.locator('meta[name="robots"]').get_attribute("content") == "noindex,nofollow"
    context.close()
