"""Second, independent graded relevance set for issue 16, item 7 (set B).

Forty-five write-ups of other sectors and subjects than the first set (forestry, poultry, a
shepherd, a guesthouse, a campsite, a ferry, a food truck, a car dealer, an optician, fashion and
shoe shops, physiotherapy, dental practices, a midwife, social associations, architects, a
translator, photographers, printers, a plasterer, a glazier, cleaning and security firms, an
undertaker, driving schools, …) live in tests/data/search_advisers_b/practices, with their own
synonym groups (synonyms.yml) and 80 graded queries (queries.yml, 16 per kind: question, multi,
compound, sense, synonym). The judgments were made by reading the write-ups, before any engine
output was seen, so the set checks whether improvements tuned on the first set generalise.

The machinery (import next to the demo corpus, nDCG@10 on the condensed ranking, the table and
the queries that return nothing) is shared with tests/test_search_advisers.py via tests/relevance.py.
The floors are today's measured values rounded down to two decimals; issue 16 asks for ≥ 0.70 per
kind and ≥ 0.85 overall.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.relevance import KINDS, assert_floors, check_shape, import_suite, suite_slugs

SET_B = Path(__file__).parent / "data" / "search_advisers_b"

CASES = [
    (entry["kind"], entry["query"], entry["judgments"])
    for entry in yaml.safe_load((SET_B / "queries.yml").read_text(encoding="utf-8"))
]

# Before issue 16 (measured 2026-12-05 on SQLite and PostgreSQL alike): question 0.245, multi 0.111,
# compound 0.000, sense 0.877, synonym 0.120, overall 0.271; 56 of 80 queries returned nothing.
# With issue 16 (partial matches, query decompounding, senses; this set was written and graded by a
# session that never saw the engine's rankings, so it checks that the tuning on the first set carries
# over): question 0.924, multi 0.920, compound 0.994, sense 0.940, synonym 0.984, overall 0.952; no
# query returns nothing. Floors: rounded down, less 0.01 so a tie resolved otherwise does not fail.
FLOORS = {"question": 0.91, "multi": 0.91, "compound": 0.98, "sense": 0.93, "synonym": 0.97, "overall": 0.94}


def test_set_b_is_big_balanced_and_judged_over_its_own_write_ups():
    """Pins set B's shape: 45 write-ups, 80 queries, 16 of every kind, judgments on set B's slugs only."""
    check_shape(CASES, suite_slugs(SET_B), min_practices=45, min_cases=80)
    assert all(sum(1 for kind, _, _ in CASES if kind == wanted) == 16 for wanted in KINDS)


def test_set_b_ndcg_per_kind_does_not_drop(session, tmp_path):
    """Pins the ranking quality on set B: nDCG@10 per kind and overall stays at or above its floor."""
    import_suite(SET_B, tmp_path)
    assert_floors(CASES, suite_slugs(SET_B), FLOORS)
