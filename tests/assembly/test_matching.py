"""Relevance with a reason: partnerships, organisations and policies meet
clusters only where sector and keywords overlap (assembly/matching.py), and
regional briefs keep to their region (issue 13, point 3)."""

from __future__ import annotations

import re

from briefing_app.assembly import Selection, build_document
from briefing_app.assembly.knowledge import KnowledgeBase
from briefing_app.assembly.matching import Vocabulary, rank, stem, terms
from briefing_app.document import Heading, document_text
from briefing_app.store.records import Cluster, Partnership, Sector

SECTORS = [
    Sector("energy", "Energy", aliases=("power equipment",)),
    Sector("renewable-energy", "Renewable energy", "energy", ("photovoltaic", "blue energy")),
    Sector("ict", "ICT", aliases=("IT", "software")),
    Sector("consumer-goods", "Consumer goods", aliases=("household appliances",)),
]
PARENTS = {"renewable-energy": "energy"}


def _scope(slug: str) -> set[str]:
    return {slug} | {child for child, parent in PARENTS.items() if parent == slug}


def _vocabulary() -> Vocabulary:
    return Vocabulary.build(SECTORS, ["Wenzhou", "Wuxi", "Atlantis"])


def _cluster(slug, name, industry, sectors, description="") -> Cluster:
    return Cluster(
        slug=slug,
        name=name,
        kind="industrial-cluster",
        country="AT",
        region="x",
        industry=industry,
        sectors=tuple(sectors),
        description=description,
    )


BLUE = Partnership(
    slug="blue",
    name="Blue Energy Partners",
    kind="escp-4i",
    acronym="BEP",
    acronym_official=False,
    sectors=("energy", "renewable-energy"),
    objective="Take ocean and offshore (blue) energy clusters abroad together.",
)


def _rank(subject, candidates):
    vocabulary = _vocabulary()
    return rank(
        subject,
        candidates,
        _scope,
        vocabulary,
        subject.label,
        lambda r: terms(_text(r), vocabulary),
    )


def _text(record) -> str:
    from briefing_app.assembly.matching import record_text

    return record_text(record)


def test_stems_meet_plurals_and_keep_short_words():
    assert stem("vehicles") == stem("vehicle") == "vehicle"
    assert stem("batteries") == "battery"
    assert stem("IT") == "it" and stem("gas") == "gas"


def test_a_sector_alias_counts_as_one_term_and_capitals_matter():
    found = terms("Photovoltaic panels and IT; it is software too.", _vocabulary())
    assert found["=renewable-energy"] == "photovoltaic"
    assert found["=ict"] == "IT"  # "it" the pronoun is not the alias
    assert "wenzhou" not in terms("A Wenzhou cluster of valves", _vocabulary())


def test_a_sector_in_common_without_a_shared_term_is_no_match():
    appliances = _cluster(
        "leqing",
        "Leqing electrical appliances cluster",
        "Medium and low voltage electrical appliances",
        ["energy"],
        "Electrical appliances industrial cluster in Leqing, Wenzhou.",
    )
    assert _rank(BLUE, [appliances]) == []


def test_shared_terms_without_the_most_specific_sector_are_no_match():
    # The partnership counts as renewable energy (its most specific sector):
    # a cluster filed under energy alone is outside it, whatever its words.
    equipment = _cluster(
        "equipment", "Energy equipment cluster", "Blue energy equipment", ["energy"]
    )
    assert _rank(BLUE, [equipment]) == []


def test_a_match_says_why():
    solar = _cluster(
        "wuxi-pv",
        "Wuxi photovoltaic cluster",
        "Photovoltaic",
        ["renewable-energy"],
        "Photovoltaic industrial cluster of Wuxi with offshore test sites.",
    )
    found = _rank(BLUE, [solar])
    assert [m.record.slug for m in found] == ["wuxi-pv"]
    hit = found[0]
    assert hit.sector == "renewable-energy"
    assert "renewable energy (photovoltaic)" in hit.terms and "offshore" in hit.terms
    # the partnership's acronym is not official: the reason names it in full
    assert (
        hit.reason
        == "shares renewable energy (photovoltaic) and offshore with Blue Energy Partners"
    )
    assert hit.score >= 2
    assert hit.shares == "shares renewable energy (photovoltaic) and offshore"


def test_every_match_of_the_seed_has_a_reason_and_a_shared_sector(seeded_store):
    kb = KnowledgeBase(seeded_store, seeded_store.country("CN"))
    counted = 0
    for partnership in kb.partnerships():
        for hit in kb.cluster_matches(partnership):
            counted += 1
            assert hit.reason.startswith("shares ") and hit.terms
            assert hit.reason.endswith(f"with {partnership.label}")
            assert hit.sector in hit.record.sectors or any(
                hit.sector in seeded_store.sector_scope(s) for s in hit.record.sectors
            )
    assert counted > 10


def test_the_nonsense_matches_of_issue_13_are_gone(seeded_store):
    kb = KnowledgeBase(seeded_store, seeded_store.country("CN"))
    partnerships = {p.slug: p for p in kb.partnerships()}
    elbe = {m.record.slug for m in kb.cluster_matches(partnerships["elbe"])}
    assert "leqing-medium-and-low-voltage-electrical-appliances-cluster" not in elbe
    assert "wuxi-new-district-photovoltaic-cluster" in elbe  # still meets solar
    mobility = {m.record.slug for m in kb.cluster_matches(partnerships["mobigoin-action"])}
    assert "tonghua-pharmaceutical-hi-tech-zone" not in mobility
    ict = {c.slug for c in kb.clusters(sector="ict", region="*")}
    assert (
        not {
            "hefei-household-appliances-cluster",
            "guzhen-lighting-cluster",
            "cixi-household-electronic-appliances-cluster",
            "qingdao-haier-cluster",
        }
        & ict
    )


def test_a_region_specific_plan_appears_only_for_its_region(seeded_store):
    plan = "greater-bay-area-development-plan"
    for region, expected in (
        ("zhejiang", False),
        ("yangtze-river-delta", False),
        ("guangdong", True),
        ("shenzhen", True),
        ("pearl-river-delta", True),
    ):
        kb = KnowledgeBase(seeded_store, seeded_store.country("CN"), seeded_store.region(region))
        assert (plan in {p.slug for p in kb.policies()}) is expected, region
    whole = KnowledgeBase(seeded_store, seeded_store.country("CN"))
    assert plan in {p.slug for p in whole.policies()}
    zhejiang = KnowledgeBase(
        seeded_store, seeded_store.country("CN"), seeded_store.region("zhejiang")
    )
    assert "yrd-three-year-action-plan" in {p.slug for p in zhejiang.policies()}


def _section(document, title: str) -> str:
    blocks = list(document.blocks)
    start = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == title)
    end = next(
        (i for i, b in enumerate(blocks[start + 1 :], start + 1) if isinstance(b, Heading)),
        len(blocks),
    )
    return document_text(type(document)(document.metadata, tuple(blocks[start:end])))


def test_a_regional_brief_lists_organisations_of_the_region_or_labels_them_national(
    seeded_store,
):
    document = build_document(
        seeded_store,
        Selection(
            country="CN",
            region="pearl-river-delta",
            sectors=("automotive",),
            partnerships=("give",),
            blueprint="delegation-brief",
        ),
    )
    text = _section(document, "Organisations to meet")
    scope = seeded_store.region_scope("pearl-river-delta") | seeded_store.region_scope("guangdong")
    named = 0
    for organisation in seeded_store.organisations(country="CN"):
        if organisation.name not in text:
            continue
        named += 1
        if organisation.region:
            assert organisation.region in scope, organisation.slug
        else:
            assert organisation.kind != "company", organisation.slug
    assert named
    for company in ("Geely", "SAIC MAXUS", "Tsingshan Holding Group"):
        assert company not in text
    # national bodies are named under their own label, apart from those based in the area
    national_part = text.split("National bodies of the sector", 1)[1]
    assert "China Association of Automotive Manufacturers" in national_part


def test_briefings_name_partnerships_by_official_acronym_only(seeded_store):
    document = build_document(
        seeded_store,
        Selection(
            country="CN",
            sectors=("automotive", "human-health", "renewable-energy", "ict"),
            blueprint="eccp-preparatory",
        ),
    )
    text = document_text(document)
    for made_up in ("ST", "BEH", "FAB", "SGA", "ESU", "STCA"):
        assert not re.search(rf"(?<![\w-]){made_up}(?![\w-])", text), made_up
    assert "Surface Transport" in text and "GIVE" in text


def test_editor_notes_are_never_printed(seeded_store):
    document = build_document(
        seeded_store,
        Selection(
            country="CN",
            sectors=("automotive", "human-health", "renewable-energy", "ict"),
            blueprint="eccp-preparatory",
        ),
    )
    text = document_text(document)
    notes = [
        record.editor_note
        for entity in ("clusters", "partnerships", "policies", "organisations", "indicators")
        for record in seeded_store.records(entity)
        if record.editor_note
    ]
    assert len(notes) > 20
    assert [n for n in notes if n[:40] in text] == []
    for phrase in ("Box 2 prints", "Acronym added for this knowledge base", "not printed in 002"):
        assert phrase not in text


def test_table_3_of_the_annex_is_cass_top_100_with_counts(seeded_store):
    kb = KnowledgeBase(seeded_store, seeded_store.country("CN"))
    lists = kb.cluster_lists()
    cass, rest = lists[0], lists[-1]
    assert cass.source == "cass-top-100-industrial-clusters-2010"
    assert cass.title == "Top 100 industrial clusters in China (2010)"
    assert len(cass.rows) == 100 and rest.source == ""
    assert cass.counts[:3] == [("Zhejiang", 25), ("Jiangsu", 16), ("Guangdong", 13)]
    labels = [row["area_label"] for row in cass.rows if row["area_label"]]
    assert labels[0] == "Zhejiang (25)" and len(labels) == len(cass.counts)
    assert all(row["source"] != cass.source for row in rest.rows)
    assert "Zhangjiang Drug Valley" in {row["name"] for row in rest.rows}
    assert "张江药谷" not in {row["city_local"] for row in cass.rows}
