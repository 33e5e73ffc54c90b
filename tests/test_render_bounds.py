"""Rendering and diffing cost a bound that no input can raise (issue 11, items 4 and 5).

No timing asserts: the guard and the diff's budgets are asserted to fire; a generous timeout is the
safety net (on the old code these inputs take minutes to hours).
"""

from __future__ import annotations

import random

import pytest
from bs4 import BeautifulSoup
from whoosh import index as whoosh_index

from hub.extensions import db
from hub.markdown import conversions, plain_text, render
from hub.markdown_guard import bound
from hub.practices.diff import WORD_BUDGET, WORD_CAP, Budget, body_diff, diff_data, word_diff
from hub.practices.operations import practice_data, update_practice
from hub.search.sync import get_index
from tests.factories import make_practice
from tests.html_checks import executable_markup
from tests.support import csrf_token

SIZE = 200_000  # the longest body a practice may have
PATHOLOGICAL = {
    "open brackets": "[" * SIZE,
    "wiki-link openers": "[[" * (SIZE // 2),
    "unclosed links": "[a](" * (SIZE // 4),
    "image openers": "![" * (SIZE // 2),
    "brackets over lines": "[\n" * (SIZE // 2),
    "brackets in a quote": "> [" * (SIZE // 3),
    "nested brackets": "[" * (SIZE // 2) + "]" * (SIZE // 2),
    "unclosed tags": "<a " * (SIZE // 3),
    "closing-tag openers": "</" * (SIZE // 2),
    "escaped brackets": "\\[" * (SIZE // 2),
    "emphasis": "*a" * (SIZE // 2),
    "many links": "[a](b) " * (SIZE // 7),
    "unclosed code fence": "```\n" + "[" * SIZE,  # not code for Python-Markdown: a paragraph
    "list lines in a paragraph": "Text\n" + ("- " + "[" * 100 + "\n") * (SIZE // 103),  # one paragraph
    "pipes without a table": ("[" * 100 + "|\n") * (SIZE // 102),
}
NORMAL = [
    "Ein [Link](https://example.org) und ein Bild ![Logo](/uploads/logo.png) im Text.",
    "Siehe [[ki-angebote-tischlerei]] und [[hofladen-digital|den Hofladen]].",
    "\n".join(f"- [Quelle {n}](https://example.org/{n}) mit *Betonung*" for n in range(3000)),
    "| a | b |\n|---|---|\n" + "\n".join(f"| [x{n}](y) | *b* `c` |" for n in range(5000)),
    "# Titel [x](y)\n" + "\n".join(f"Zeile {n} mit [Link](z) und *x*" for n in range(200)),
    " ".join(f'Satz {n} mit [Link {n}](https://example.org/{n} "Titel") und `Code [x]`.' for n in range(150)),
    "```\n" + "[" * 5000 + "\n\n" + "<" * 5000 + "\n```\n\nDanach ein [Link](https://example.org).",
    "Eine [ungeschlossene Klammer und ein Text. " * 10,
    "| a | b |\n|---|---|\n| [x](y) | <b>fett</b> |",
]


@pytest.mark.timeout(120)
@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_bodies_are_rendered_as_plain_text(name):
    """Rule: input that would make Python-Markdown scan or copy quadratically is neutralised."""
    text = PATHOLOGICAL[name]
    assert bound(text).changed
    html = str(render(text))
    assert executable_markup(html) == []
    assert plain_text(text)  # the search index's text is bounded the same way


@pytest.mark.parametrize("text", NORMAL)
def test_normal_markdown_is_left_exactly_as_it_is(text):
    """Rule: the guard never changes what normal Markdown renders to."""
    assert bound(text) == bound(text).__class__(text, 0, 0)
    assert not bound(text).changed


def test_a_neutralised_paragraph_keeps_its_neighbours_formatted():
    """Rule: only the offending paragraph becomes plain text; the rest renders as Markdown."""
    html = str(render("Vorher *betont*.\n\n" + "[" * 20_000 + "\n\nNachher [Link](https://example.org)."))
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("em").get_text() == "betont"
    assert soup.select_one("a")["href"] == "https://example.org"
    assert "[" * 20_000 in soup.get_text()


def test_rendering_is_cached_per_text_and_link_targets():
    """Rule: a page view does not render the same body again (cache per text and resolved links)."""
    text = f"Ein Text, der nur hier vorkommt ({random.random()})."
    before = conversions().get("html", 0)
    first = render(text)
    assert conversions()["html"] == before + 1
    assert render(text) == first
    assert conversions()["html"] == before + 1


@pytest.mark.timeout(120)
def test_preview_is_bounded_too(client, login_as):
    """Rule: the live preview goes through the same guard."""
    login_as("tbauer")
    token = csrf_token(client, "/practices/new")
    response = client.post("/practices/preview", data={"body": "[" * SIZE}, headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert "[" * 1000 in response.get_json()["html"]


@pytest.mark.timeout(120)
def test_practice_page_with_a_pathological_body_loads(client):
    """Rule: the anonymous practice page is bounded (items 4)."""
    practice = make_practice(body="Einleitung.\n\n" + "[" * SIZE)
    response = client.get(f"/practices/{practice.slug}")
    assert response.status_code == 200
    assert "[" * 1000 in response.get_data(as_text=True)


def test_markdown_is_rendered_before_the_index_writer_lock_is_taken(session, app):
    """Rule: the index's plain text is rendered outside the writer lock, which all writers share."""
    app.config["SEARCH_SYNC_AFTER_COMMIT"] = False
    try:
        make_practice(body=f"Ein Text für den Index ({random.random()}).")
    finally:
        app.config["SEARCH_SYNC_AFTER_COMMIT"] = True
    index = get_index(app)

    before = conversions().get("plain", 0)
    writer = whoosh_index.open_dir(str(index.folder())).writer()  # held like another process would
    timeout, retries = index.lock_timeout, index.retries
    index.lock_timeout, index.retries = 0.01, 1
    try:
        assert index.apply_pending(db.session) == 0  # the lock is busy: nothing applied ...
        assert conversions()["plain"] == before + 1  # ... but the text was rendered while waiting
    finally:
        writer.cancel()
        index.lock_timeout, index.retries = timeout, retries
    assert index.apply_pending(db.session) == 1
    assert conversions()["plain"] == before + 1  # under the lock: taken from the cache


@pytest.mark.parametrize("count", [2000, 1000])
def test_a_long_paragraph_with_every_third_word_changed_takes_the_capped_path(count):
    """Rule: a word diff over the size cap (2,000 words) or over the budget (1,000 words, every third
    changed) shows the whole line as changed instead of running on."""
    words = [f"wort{n % 50}" for n in range(count)]
    old = " ".join(words)
    new = " ".join(word if n % 3 else word + "x" for n, word in enumerate(words))
    budget = Budget(WORD_BUDGET)
    old_segments, new_segments = word_diff(old, new, budget)
    assert (2 * count > WORD_CAP) or budget.exhausted
    assert [(s.text, s.changed) for s in old_segments] == [(old, True)]
    assert [(s.text, s.changed) for s in new_segments] == [(new, True)]
    _, small_new = word_diff("eins zwei drei", "eins 2 drei", Budget(WORD_BUDGET))
    assert [s.text for s in small_new if s.changed] == ["2"]  # within the budget: word by word


def test_a_line_diff_over_its_budget_shows_the_middle_as_replaced():
    """Rule: the line diff is bounded too; common ends stay matched, the middle becomes a replace."""
    old = "Anfang\n" + "\n".join(str(n % 7) for n in range(50_000)) + "\nEnde"
    new = "Anfang\n" + "\n".join(str(n * 3 % 11 + 1) for n in range(50_000)) + "\nEnde"
    lines = body_diff(old, new)
    assert lines[0].op == "equal" and lines[0].segments[0].text == "Anfang"
    assert {line.op for line in lines[1:]} <= {"delete", "insert"}


def test_a_huge_difference_is_shown_in_part():
    """Rule: at most MAX_LINES lines reach the page; the rest is counted."""
    old = "\n".join(f"Zeile {n}" for n in range(5000))
    new = "\n".join(f"Neue Zeile {n}" for n in range(5000))
    diff = diff_data({}, old, {}, new)
    assert len(diff.body) == 3000
    assert diff.hidden_lines == 10_000 - 3000


@pytest.mark.timeout(120)
def test_diff_page_of_a_pathological_pair_loads_and_keeps_crawlers_off(client):
    """Rule: the diff page answers for any two revisions and asks robots not to index or follow."""
    words = [f"wort{n % 50}" for n in range(20_000)]
    practice = make_practice(body=" ".join(words) + "\n" + "\n".join(str(n % 7) for n in range(20_000)))
    data = practice_data(practice)
    data.body = (
        " ".join(w if n % 3 else w + "x" for n, w in enumerate(words))
        + "\n"
        + "\n".join(str(n * 3 % 11) for n in range(20_000))
    )
    update_practice(None, practice, data)
    db.session.commit()
    response = client.get(f"/practices/{practice.slug}/diff?from=1&to=2")
    assert response.status_code == 200
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert soup.select_one('meta[name="robots"]')["content"] == "noindex,nofollow"
    assert soup.select_one(".diff-truncated") is not None
    history = BeautifulSoup(
        client.get(f"/practices/{practice.slug}/history").get_data(as_text=True), "html.parser"
    )
    assert history.select_one('meta[name="robots"]')["content"] == "noindex,nofollow"
    assert all(a.get("rel") == ["nofollow"] for a in history.select('a[href*="/diff"]'))
