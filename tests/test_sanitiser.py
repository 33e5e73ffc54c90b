"""Markdown is rendered and sanitised with an allow-list: no payload of the XSS corpus executes."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from hub.extensions import db
from hub.markdown import LinkTarget, plain_text, render
from hub.models import Centre, OutboxEvent, Practice
from hub.vocabulary import Kind, Status, Visibility
from tests.html_checks import executable_markup
from tests.support import xss_payloads


def test_every_payload_rendered_as_markdown_is_inert():
    payloads = xss_payloads()
    assert len(payloads) > 6000
    for start in range(0, len(payloads), 200):
        chunk = payloads[start : start + 200]
        html = str(render("\n\n".join(chunk)))
        assert executable_markup(html) == [], (start, executable_markup(html)[:5])
        for payload in chunk[:20]:  # inline, and inside link/image syntax
            for text in (payload, f"[x]({payload})", f"![x]({payload})", f"[[{payload}]]", f"<{payload}>"):
                assert executable_markup(str(render(text))) == [], text


@pytest.mark.parametrize(
    ("markdown", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ('<img src=x onerror="alert(1)">', "onerror"),
        ("[klick](javascript:alert(1))", "javascript:"),
        ("[klick](JaVaScRiPt:alert(1))", "javascript:"),
        ("[klick](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
        ("[klick](vbscript:msgbox(1))", "vbscript:"),
        ('<iframe src="https://example.org"></iframe>', "<iframe"),
        ('<object data="x.swf"></object>', "<object"),
        ('<embed src="x.swf">', "<embed"),
        ('<form action="/login"><input name="password"></form>', "<form"),
        ('<p style="background:url(javascript:alert(1))">x</p>', "style="),
        ("<svg onload=alert(1)>", "<svg"),
        ('<a href="https://example.org" onmouseover="alert(1)">x</a>', "onmouseover"),
        ('<img src="https://tracker.example/pixel.gif">', "tracker.example"),
    ],
)
def test_known_attacks_are_removed(markdown, forbidden):
    html = str(render(markdown)).lower()
    assert forbidden not in html


def test_markdown_features_survive_sanitising():
    html = str(
        render(
            "## Vorgehen\n\n| Schritt | Tage |\n|---|---|\n| Analyse | 2 |\n\n```python\nprint('x')\n```\n\n"
            "1. eins\n2. zwei\n\n[Link](https://example.org) und **fett**"
        )
    )
    assert '<h2 id="h-vorgehen">Vorgehen</h2>' in html
    assert "<table>" in html and "<td>Analyse</td>" in html
    assert '<code class="language-python">' in html
    assert "<ol>" in html and "<strong>fett</strong>" in html
    assert 'href="https://example.org"' in html and 'rel="noopener noreferrer nofollow"' in html


def test_wiki_links_resolve_only_to_visible_targets():
    def resolve(slugs):
        return (
            {"sichtbar": LinkTarget("/practices/sichtbar", "Sichtbarer Titel")} if "sichtbar" in slugs else {}
        )

    html = str(render("[[sichtbar]], [[sichtbar|eigener Text]] und [[geheim]]", resolve))
    assert '<a class="wikilink" href="/practices/sichtbar"' in html and "Sichtbarer Titel" in html
    assert ">eigener Text</a>" in html
    assert '<span class="missing-link"' in html and ">geheim</span>" in html


def test_plain_text_strips_markup():
    assert plain_text("## Titel\n\n**fett** und [[slug|Text]] <b>x</b>") == "Titel fett und Text x"


def test_plain_text_of_one_write_up_never_carries_over_into_the_next():
    """The converter is reused: a reference defined in one body does not resolve a link in another."""
    assert plain_text("Siehe [Leitfaden][l].\n\n[l]: https://example.org/leitfaden") == "Siehe Leitfaden."
    assert plain_text("Siehe [Leitfaden][l] – ohne Verweis.") == "Siehe [Leitfaden][l] – ohne Verweis."


def test_payloads_in_title_summary_and_body_render_inert_on_pages(client, session):
    """Every payload as a title and summary (list page) and in bodies (practice pages)."""
    payloads = xss_payloads()
    centre = db.session.scalars(sa.select(Centre).where(Centre.slug == "zz-sachsen")).one()
    bodies = ["\n\n".join(payloads[i : i + 150]) for i in range(0, len(payloads), 150)]
    rows = [
        dict(title=p[:300], summary=p, body=bodies[i % len(bodies)] if i < len(bodies) else "x")
        for i, p in enumerate(payloads)
    ]
    practices = [
        Practice(
            slug=f"xss-{i}", kind=Kind.CASE_STUDY, centre=centre, visibility=Visibility.PUBLIC,
            status=Status.PUBLISHED, **row,
        )
        for i, row in enumerate(rows)
    ]
    db.session.add_all(practices)
    db.session.flush()
    # Lists come from the search index: outbox rows as the operations write them.
    db.session.add_all(OutboxEvent(practice_id=p.id, reason="created") for p in practices)
    db.session.commit()
    client.application.config["PER_PAGE"] = len(payloads) + 100
    try:
        page = client.get("/practices/?centre=zz-sachsen").get_data(as_text=True)
    finally:
        client.application.config["PER_PAGE"] = 20
    assert page.count('class="card"') >= len(payloads)
    assert executable_markup(page) == []
    for i in range(len(bodies)):
        response = client.get(f"/practices/xss-{i}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert executable_markup(html) == [], (i, executable_markup(html)[:5])
        assert executable_markup(html, scope=".practice-body, .practice-header") == []
