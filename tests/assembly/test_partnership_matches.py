"""Which clusters each partnership of the China seed meets, checked against
a hand-made set of expectations (``partnership_matches.csv``): the true
counterparts are kept, the absurd ones are gone. On a failure the test
prints every partnership's matches with their reasons."""

from __future__ import annotations

import csv
from pathlib import Path

from briefing_app.assembly import Selection, build_document
from briefing_app.assembly.knowledge import KnowledgeBase
from briefing_app.document import document_text

EXPECTED = Path(__file__).with_name("partnership_matches.csv")


def _expectations() -> list[dict[str, str]]:
    with EXPECTED.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _table(kb, partnerships) -> str:
    lines = []
    for partnership in partnerships.values():
        found = kb.cluster_matches(partnership)
        lines.append(f"{partnership.label} [{', '.join(partnership.sectors)}]: {len(found)}")
        lines += [f"    {m.record.name}: {m.shares}" for m in found]
    return "\n".join(lines)


def test_partnerships_meet_the_clusters_a_reader_expects(seeded_store):
    kb = KnowledgeBase(seeded_store, seeded_store.country("CN"))
    partnerships = {p.slug: p for p in kb.partnerships()}
    clusters = {c.slug for c in kb.clusters(region="*")}
    wrong = []
    for row in _expectations():
        assert row["partnership"] in partnerships and row["cluster"] in clusters, row
        found = {m.record.slug for m in kb.cluster_matches(partnerships[row["partnership"]])}
        if (row["cluster"] in found) != (row["expected"] == "match"):
            wrong.append(
                f"{row['partnership']} -> {row['cluster']}: {row['expected']} ({row['why']})"
            )
    assert not wrong, "\n".join(wrong) + "\n\n" + _table(kb, partnerships)


def test_the_china_briefing_names_no_absurd_counterpart(seeded_store):
    document = build_document(
        seeded_store,
        Selection(
            country="CN",
            sectors=("automotive", "human-health", "renewable-energy", "ict"),
            blueprint="eccp-preparatory",
        ),
    )
    text = " ".join(document_text(document).split())
    start = text.index("meet the clusters of China where their fields overlap")
    chapter = text[start : start + 6000]
    assert "FoodNet" in chapter and "Rizhao fisheries cluster" in chapter
    start = chapter.index("FoodNet (")
    foodnet = chapter[start : chapter.index(". ", start)]  # its entry, up to the next one
    assert "Rail Transit" not in foodnet and "transport equipment" not in foodnet, foodnet
