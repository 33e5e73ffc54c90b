"""The own-uploads image rule (issue 11, item 17): a Markdown image shows only when it points at one
of our uploads as a browser reads the URL — backslashes, control characters and percent-escapes
cannot turn it into an image from another host (which would track every reader, feeds included)."""

from __future__ import annotations

import re

import pytest

from hub.markdown import render

OWN = "/uploads/" + "0" * 32 + ".png"


def _sources(markdown: str) -> list[str]:
    return re.findall(r'<img[^>]*\bsrc="([^"]*)"', str(render(markdown)))


@pytest.mark.parametrize(
    "url",
    [
        "/\\tracker.example/x.png",  # browsers read /\ as //
        "\\\\tracker.example/x.png",
        "/\\tracker.example" + OWN,
        "//tracker.example/x.png",
        "/%5Ctracker.example/x.png",
        "/uploads/%2e%2e/%2e%2e/tracker.png",
        "/uploads/../static/favicon.svg",
        "/static/favicon.svg",  # ours, but no upload
        "https://tracker.example" + OWN,
    ],
)
def test_images_from_elsewhere_are_dropped(url):
    """Rule: an image source survives only as /uploads/<upload name>."""
    assert _sources(f"![x]({url})") in ([], [""])
    assert _sources(f'<img src="{url}" alt="x">') in ([], [""])


@pytest.mark.parametrize("url", [OWN, "/%75ploads/" + "0" * 32 + ".png"])
def test_own_uploads_stay_and_are_written_canonically(url):
    """Rule: our uploads stay, written as the plain /uploads/<name> path."""
    assert _sources(f"![x]({url})") == [OWN]


def test_a_tab_inside_the_url_is_read_as_a_browser_reads_it():
    """Rule: a tab or line break (which browsers drop) cannot hide a //host from the check."""
    assert _sources('<img src="/&#9;/tracker.example/x.png">') in ([], [""])
