"""Build Atom documents (RFC 4287) for lists of practices, with feedgen."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator
from flask import url_for

from hub.markdown import render
from hub.models import Practice
from hub.practices.queries import link_resolver

EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def atom_feed(title: str, self_url: str, page_url: str, practices: Sequence[Practice]) -> bytes:
    """An Atom feed with one entry per practice (newest change first) and absolute links."""
    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(title)
    feed.language("de")
    feed.generator("Praxis-Hub")
    feed.author({"name": "Praxis-Hub"})
    feed.link(href=page_url, rel="alternate", type="text/html")
    feed.link(href=self_url, rel="self", type="application/atom+xml")
    feed.updated(max((p.modified_at for p in practices), default=EPOCH))
    resolve = link_resolver(None)  # feeds are public: [[links]] resolve as for anonymous readers
    for practice in reversed(practices):  # feedgen puts each new entry first
        url = url_for("practices.detail", slug=practice.slug, _external=True)
        entry = feed.add_entry()
        entry.id(url)
        entry.title(practice.title)
        entry.link(href=url, rel="alternate", type="text/html")
        entry.updated(practice.modified_at)
        if practice.published:
            entry.published(datetime.combine(practice.published, datetime.min.time(), tzinfo=UTC))
        entry.author({"name": practice.centre.name})
        entry.summary(practice.summary)
        entry.content(str(render(practice.body, resolve)), type="html")
        for sector in practice.sectors:
            entry.category(term=f"sector-{sector.code}", label=sector.name)
        for topic in practice.topics:
            entry.category(term=topic.slug, label=topic.name)
    return feed.atom_str(pretty=True)
