"""axe-core (the copy shipped in axe-playwright-python) run in a page: WCAG 2.1 A/AA violations."""

from __future__ import annotations

from pathlib import Path

import axe_playwright_python

AXE_JS = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text("utf-8")


def violations(page) -> list[str]:
    """Needs a page whose context bypasses the CSP (the ``audit_page`` fixture)."""
    page.add_script_tag(content=AXE_JS)
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
        })"""
    )
    return [f"{v['id']}: {v['help']} → {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]
