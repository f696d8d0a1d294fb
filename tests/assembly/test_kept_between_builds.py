"""Answers kept between builds (kb_index.py: lists kept until the data change,
and what is worked out from them) never leak from one selection into
another, and go when the data change: a sequence of builds in one process
gives the documents each would give in a process of its own."""

from __future__ import annotations

import dataclasses

from briefing_app.assembly import Selection, build_document
from briefing_app.store import open_store

SELECTIONS = [
    Selection(country="CN", region="zhejiang", sectors=("automotive", "ict")),
    Selection(country="CN", region="guangdong", sectors=("human-health", "renewable-energy")),
    Selection(country="CN", sectors=("automotive",)),
    Selection(country="CN", region="zhejiang", sectors=("ict",), blueprint="delegation-brief"),
    Selection(country="CN", region="zhejiang", sectors=("automotive", "ict")),
]


def test_builds_in_one_process_equal_builds_each_in_its_own(seeded_db_path):
    with open_store(seeded_db_path) as shared:
        in_turn = [build_document(shared, s, preview_rows=50) for s in SELECTIONS]
    for selection, built in zip(SELECTIONS, in_turn, strict=True):
        with open_store(seeded_db_path) as fresh:
            assert build_document(fresh, selection, preview_rows=50) == built


def test_a_changed_cluster_is_seen_by_the_next_build(seeded_db_path):
    selection = SELECTIONS[0]
    with open_store(seeded_db_path) as store:
        before = build_document(store, selection)
        cluster = next(c for c in store.clusters(region="zhejiang") if c.name in repr(before))
        store.upsert("clusters", dataclasses.replace(cluster, name="Zebra Valley ICT cluster"))
        after = build_document(store, selection)
    assert "Zebra Valley" not in repr(before)
    assert "Zebra Valley" in repr(after)
