"""The linter is honest (issue 12): every noqa comment names its rules and says why, and there are no
formatter markers, because ``ruff format`` is not run (pyproject.toml) and a marker would promise
a layout that nothing keeps."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ["hub", "tests", "bench", "config.py", "wsgi.py"]

# "noqa: E501, S310 - reason", "noqa: S704 — reason", "noqa: PLR0915 (reason)": the rule codes, then
# some words. A bare noqa, or codes alone, are refused. Only comments count (not strings).
NOQA = re.compile(r"#\s*noqa\b(?P<rest>.*)$", re.IGNORECASE)
WITH_REASON = re.compile(r"^:\s*[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*\s*[-—–(#:]?\s*(?P<reason>.*)$")
FORMATTER_MARKER = re.compile(r"#\s*fmt:\s*(skip|off|on)\b")


def _python_files() -> list[Path]:
    files: list[Path] = []
    for name in CHECKED:
        path = ROOT / name
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return [file for file in files if "migrations/versions" not in file.as_posix()]


def _comments() -> list[tuple[str, int, str]]:
    """(path, line number, comment text) of every comment in the checked files."""
    found = []
    for file in _python_files():
        tokens = tokenize.generate_tokens(io.StringIO(file.read_text("utf-8")).readline)
        path = file.relative_to(ROOT).as_posix()
        found += [(path, token.start[0], token.string) for token in tokens if token.type == tokenize.COMMENT]
    return found


def _without_reason(line: str) -> bool:
    found = NOQA.search(line)
    if found is None:
        return False
    rest = WITH_REASON.match(found["rest"])
    return rest is None or not re.search(r"[^\W\d_]{2}", rest["reason"])


def test_every_noqa_names_its_rules_and_a_reason() -> None:
    bare = [f"{path}:{number}" for path, number, text in _comments() if _without_reason(text)]
    assert not bare, "a `# noqa` without rule codes and a reason: " + ", ".join(bare)


def test_no_formatter_markers() -> None:
    marked = [f"{path}:{number}" for path, number, text in _comments() if FORMATTER_MARKER.search(text)]
    assert not marked, "`ruff format` is not run, so these markers mean nothing: " + ", ".join(marked)


def test_the_reason_check_itself() -> None:
    assert _without_reason("x = 1  # noqa")
    assert _without_reason("x = 1  # noqa: E501")
    assert _without_reason("x = 1  # noqa: ANN001, ANN202")
    assert not _without_reason("x = 1  # noqa: E501 - a data table")
    assert not _without_reason("x = 1  # noqa: S704 — every piece is escaped")
    assert not _without_reason("x = 1  # noqa: PLR0915 (one measurement after the other)")
    assert not _without_reason("x = 1")
