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


def test_where_keeps_what_selectattr_keeps(seeded_store):
    """kb.where / kb.where_not against the template filters they replace."""
    from briefing_app.assembly.build import render_template
    from briefing_app.document import Paragraph, plain_text

    def said(expression: str) -> str:
        document = render_template(seeded_store, Selection(country="CN"), f"{{{{ {expression} }}}}")
        return " ".join(plain_text(b.runs) for b in document.blocks if isinstance(b, Paragraph))

    every = "kb.clusters(region='*', sector='ict')"  # every one has a first sector
    pairs = [
        (
            f"kb.where({every}, 'sectors.0', ['ict', 'electronics'])",
            f"{every}|selectattr('sectors.0', 'in', ['ict', 'electronics'])|list",
        ),
        (
            f"kb.where_not({every}, 'kind', 'industrial-cluster')",
            f"{every}|rejectattr('kind', 'equalto', 'industrial-cluster')|list",
        ),
        (f"kb.where({every}, 'local_name')", f"{every}|selectattr('local_name')|list"),
    ]
    for fast, slow in pairs:
        names = said(f"({fast})|map(attribute='slug')|join(' ')")
        assert names and names == said(f"({slow})|map(attribute='slug')|join(' ')")
    rows = "[{'a': 'x'}, {'a': ''}, {'b': 'y'}]"
    assert said(f"kb.where({rows}, 'a')|length") == "1"
    assert said(f"kb.where_not({rows}, 'a')|length") == "2"
