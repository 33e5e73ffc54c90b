"""Rendering and diffing of hostile texts: ``python -m bench.render [--size 200000]``.

Prints, per shape, the seconds of a first (uncached) Markdown render, of a cached one, of the plain
text for the index, and of the revision diff of hostile pairs. Every figure should stay well under a
second whatever the size (issue 11, items 4 and 5); no database is needed.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import click

from hub.markdown import _plain, _rendered, plain_text, render
from hub.markdown_guard import bound
from hub.practices.diff import diff_data


def shapes(size: int) -> dict[str, str]:
    words = " ".join(f"wort{n % 50}" for n in range(size // 8))
    return {
        "open brackets [": "[" * size,
        "wiki openers [[": "[[" * (size // 2),
        "unclosed links [a](": "[a](" * (size // 4),
        "image openers ![": "![" * (size // 2),
        "brackets per line [\\n": "[\n" * (size // 2),
        "quoted brackets > [": "> [" * (size // 3),
        "nested [[..]]": "[" * (size // 2) + "]" * (size // 2),
        "unclosed tags <a": "<a " * (size // 3),
        "closing openers </": "</" * (size // 2),
        "emphasis *a": "*a" * (size // 2),
        "escapes \\[": "\\[" * (size // 2),
        "links [a](b)": "[a](b) " * (size // 7),
        "plain words": words,
    }


def diff_pairs(size: int) -> dict[str, tuple[str, str]]:
    words = [f"wort{n % 50}" for n in range(2000)]
    lines = size // 4
    return {
        "2,000 words, every 3rd changed": (
            " ".join(words),
            " ".join(w if n % 3 else w + "x" for n, w in enumerate(words)),
        ),
        "4 KB edit (x → y)": ("x " * 2000, "y " * 2000),
        f"{lines:,} short lines reshuffled": (
            "\n".join(str(n % 7) for n in range(lines)),
            "\n".join(str(n * 3 % 11) for n in range(lines)),
        ),
        f"one {size:,}-char line": ("a b " * (size // 4), "b a " * (size // 4)),
        "1,000 lines each edited": (
            "\n".join(f"Zeile {n} mit Text" for n in range(1000)),
            "\n".join(f"Zeile {n} mit Texten" for n in range(1000)),
        ),
    }


def _seconds(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


@click.command()
@click.option("--size", default=200_000, show_default=True, help="Characters per hostile text.")
def main(size: int) -> None:
    click.echo(f"{'shape':32} {'render':>8} {'cached':>8} {'plain':>8}  guard")
    for name, text in shapes(size).items():
        _rendered.clear()
        _plain.clear()
        first = _seconds(lambda text=text: render(text))
        cached = _seconds(lambda text=text: render(text))
        plain = _seconds(lambda text=text: plain_text(text))
        guard = bound(text)
        note = f"{guard.literal} paragraph(s) as text, {guard.escaped} '<' escaped" if guard.changed else "-"
        click.echo(f"{name:32} {first:8.3f} {cached:8.4f} {plain:8.3f}  {note}")
    click.echo(f"\n{'diff':32} {'seconds':>8} {'lines':>7} {'hidden':>7}")
    for name, (old, new) in diff_pairs(size).items():
        start = time.perf_counter()
        diff = diff_data({}, old, {}, new)
        seconds = time.perf_counter() - start
        click.echo(f"{name:32} {seconds:8.3f} {len(diff.body):7} {diff.hidden_lines:7}")


if __name__ == "__main__":
    main()
