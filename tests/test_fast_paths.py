"""Two import speed-ups that must not change a rule: the control-character check as one regular
expression, and front matter parsed by libyaml where the Python parser would say the same."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pytest
import yaml

from hub.exchange import yamlio
from hub.fields import ALLOWED_CONTROLS, stray_control

CONTENT = Path(__file__).resolve().parent.parent / "content"


def test_the_control_character_check_matches_the_unicode_categories_for_every_code_point():
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        stray = unicodedata.category(char) in ("Cc", "Cs") and char not in ALLOWED_CONTROLS
        assert stray_control("ab" + char + "c") == (2 if stray else None), hex(code)


def _both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    """What load_yaml gives (or the error it says) with libyaml and with the Python parser only."""
    answers = []
    for fast in (True, False):
        monkeypatch.setattr(yamlio, "FAST", fast)
        try:
            answers.append(yamlio.load_yaml(text))
        except yamlio.FormatError as error:
            answers.append(("error", str(error)))
    return answers[0], answers[1]


def test_libyaml_is_really_there():
    assert yamlio.FAST and yaml.__with_libyaml__  # else the fast path below is never taken


def test_the_demo_corpus_front_matter_reads_the_same_with_both_parsers(monkeypatch):
    files = sorted(CONTENT.rglob("*.md")) + sorted(CONTENT.rglob("*.yml"))
    assert len(files) > 20
    for path in files:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md":
            text = text.split("\n---", 1)[0].removeprefix("---\n")
        fast, slow = _both(text, monkeypatch)
        assert fast == slow, path


@pytest.mark.parametrize(
    "text",
    [
        "title: a\ntitle: b",  # duplicate key
        "title:\tTabulator",  # libyaml takes it, the Python parser refuses it
        "a: &x [1]\nb: *x",  # an alias: the alias limits live in the Python composer
        "date: 2024-13-45",
        "published: 2024-05-01\nyes: no\non: off",  # the hub's own implicit types
        "title: [unclosed",
        "- a\n- b",
        "",
    ],
)
def test_edge_cases_read_the_same_with_both_parsers(monkeypatch, text):
    fast, slow = _both(text, monkeypatch)
    assert fast == slow
