"""Graded relevance machinery shared by the adviser suites (issue 16, item 7).

A suite is a folder of write-ups (``practices/``) and synonym groups (``synonyms.yml``) imported
next to the demo corpus, and a list of ``(kind, query, {slug: grade})`` cases judged by reading
those write-ups. nDCG@10 uses gains 2^grade − 1 and is computed on the condensed ranking: hits from
the demo corpus (not judged for these queries) are dropped before the cut at 10, so a relevant demo
write-up never counts against the engine.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import yaml

from hub.exchange.importer import import_folder
from hub.search.sync import get_index
from tests.search_helpers import run, slugs
from tests.support import CONTENT

KINDS = ("question", "multi", "compound", "sense", "synonym")

Case = tuple[str, str, dict[str, int]]


def import_suite(folder: Path, tmp_path: Path) -> None:
    """The suite's write-ups and synonym groups imported (and committed) next to the demo corpus."""
    target = tmp_path / folder.name
    (target / "practices").mkdir(parents=True)
    shutil.copy(CONTENT / "centres.yml", target / "centres.yml")
    taxonomy = yaml.safe_load((CONTENT / "taxonomy.yml").read_text(encoding="utf-8"))
    taxonomy["synonyms"] = taxonomy.get("synonyms", []) + yaml.safe_load(
        (folder / "synonyms.yml").read_text(encoding="utf-8")
    )
    (target / "taxonomy.yml").write_text(yaml.safe_dump(taxonomy, allow_unicode=True), encoding="utf-8")
    for path in (folder / "practices").glob("*.md"):
        shutil.copy(path, target / "practices" / path.name)
    import_folder(target)
    get_index().synonyms = None  # the groups just imported, not a table cached by an earlier test


def ndcg_at_10(ranking: list[str], grades: dict[str, int]) -> float:
    """nDCG@10 with gains 2^grade − 1 over ``ranking`` (already condensed to judged write-ups)."""

    def dcg(values: list[int]) -> float:
        return sum((2**grade - 1) / math.log2(position + 2) for position, grade in enumerate(values[:10]))

    ideal = dcg(sorted(grades.values(), reverse=True))
    return dcg([grades.get(slug, 0) for slug in ranking]) / ideal if ideal else 0.0


def suite_slugs(folder: Path) -> set[str]:
    return {path.stem for path in (folder / "practices").glob("*.md")}


def check_shape(cases: list[Case], own: set[str], min_practices: int, min_cases: int) -> None:
    """Every kind present, judgments only on the suite's own write-ups, an answer (grade 3) per query."""
    assert len(own) >= min_practices
    assert len(cases) >= min_cases
    assert {kind for kind, _, _ in cases} == set(KINDS)
    for _kind, query, grades in cases:
        assert set(grades) <= own, (query, set(grades) - own)
        assert 3 in grades.values(), query
        assert all(0 <= grade <= 3 for grade in grades.values())


def measure(cases: list[Case], own: set[str]) -> tuple[dict[str, float], list[tuple[str, str]], list[str]]:
    """Mean nDCG@10 per kind and overall, the queries that return nothing, and a line per query."""
    scores: dict[str, list[float]] = {kind: [] for kind in KINDS}
    empty: list[tuple[str, str]] = []
    lines: list[str] = []
    for kind, query, grades in cases:
        found = slugs(run(query, per_page=100))
        if not found:
            empty.append((kind, query))
        scores[kind].append(ndcg_at_10([slug for slug in found if slug in own], grades))
        lines.append(f"  {scores[kind][-1]:.3f} {kind}: {query}")
    means = {kind: sum(values) / len(values) for kind, values in scores.items() if values}
    means["overall"] = sum(sum(values) for values in scores.values()) / len(cases)
    return means, empty, lines


def assert_floors(cases: list[Case], own: set[str], floors: dict[str, float]) -> None:
    """Prints the table (``pytest -s``) and fails when a kind's mean or the overall mean is below its floor."""
    means, empty, lines = measure(cases, own)
    counts = {kind: sum(1 for case in cases if case[0] == kind) for kind in KINDS}
    counts["overall"] = len(cases)
    report = "\n".join(
        [f"{'kind':<10} {'queries':>7} {'nDCG@10':>8} {'floor':>6}"]
        + [f"{kind:<10} {counts[kind]:>7} {means[kind]:>8.3f} {floors[kind]:>6.2f}" for kind in means]
        + [f"no results ({len(empty)}):"]
        + [f"  {kind}: {query}" for kind, query in empty]
    )
    print("\n" + report + "\nper query:\n" + "\n".join(lines))
    dropped = [kind for kind, mean in means.items() if mean < floors[kind]]
    assert not dropped, f"nDCG@10 below the floor for {dropped}\n{report}"
    assert not empty, f"queries without any result (a partial match exists for each)\n{report}"
