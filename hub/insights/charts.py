"""Server-rendered SVG bar charts: a title and a description for assistive technology, text labels
and values on every bar (colour is only a second cue), and the same data shown as a table beside."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import count

from markupsafe import Markup, escape

_ids = count(1)
BAR_HEIGHT, GAP, LABEL_WIDTH, BAR_WIDTH, VALUE_WIDTH = 22, 8, 260, 360, 50


def bar_chart(title: str, description: str, items: Sequence[tuple[str, int]], *, css: str = "bar") -> Markup:
    """A horizontal bar chart of (label, value) pairs."""
    uid = f"chart-{next(_ids)}"
    highest = max((value for _label, value in items), default=0) or 1
    height = max(1, len(items)) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" aria-labelledby="{uid}-title {uid}-desc">',
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(description)}</desc>',
    ]
    for index, (label, value) in enumerate(items):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = round(BAR_WIDTH * value / highest)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end" class="chart-label">'
            f"{escape(label)}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{max(length, 1)}" height="{BAR_HEIGHT}" class="{css}"/>'
            f'<text x="{LABEL_WIDTH + max(length, 1) + 6}" y="{y + 16}" class="chart-value">{value}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every piece of text above is escaped
