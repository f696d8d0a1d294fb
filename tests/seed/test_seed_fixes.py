"""Guards for the seed data fixes of issue 13, each checked against the seed text.

Read with the csv module alone, like test_seed_files.py. Where the check
needs the printed source (the five seed documents, kept outside the
repository in ``/work/shared/seeds`` or ``$BRIEFING_SEED_TEXTS``), the facts
it relies on are also written out here, so that the guard holds without the
documents; with them, the test also holds the facts against the print.
"""

from __future__ import annotations

import csv
import os
import re
from collections import defaultdict
from pathlib import Path

import pytest

from briefing_app.assembly.matching import stem

SEED = Path(__file__).resolve().parents[2] / "db" / "seed"
TEXTS = Path(os.environ.get("BRIEFING_SEED_TEXTS", "/work/shared/seeds"))
TABLE3_SOURCE = "cass-top-100-industrial-clusters-2010"

# Editor talk that must not stand in a field a reader may see.
EDITOR_PHRASES = re.compile(
    r"(?<![\d,.])00[0-4]\b|knowledge base|acronym added|not printed|\bprints?\b|\bprinted\b|"
    r"\bBox \d|\bTable \d of\b|wu-country|eccp-china|this record",
    re.I,
)
READER_FIELDS = {
    "clusters": ("name", "industry", "description"),
    "partnerships": ("name", "objective", "description"),
    "policies": ("name", "objectives", "focus", "description", "budget"),
    "organisations": ("name", "description"),
    "indicators": ("name", "note"),
    "regions": ("name", "description"),
}


def _rows(entity: str) -> list[dict[str, str]]:
    with open(SEED / f"{entity}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _by_slug(entity: str) -> dict[str, dict[str, str]]:
    return {row["slug"]: row for row in _rows(entity)}


def _text(number: str) -> str:
    found = sorted(TEXTS.glob(f"{number}_*.txt")) if TEXTS.is_dir() else []
    if not found:
        pytest.skip(f"seed document {number} is not at {TEXTS}")
    return found[0].read_text(encoding="utf-8")


def _sector_scope(root: str) -> set[str]:
    children = defaultdict(set)
    for row in _rows("sectors"):
        children[row["parent"]].add(row["slug"])
    scope, todo = set(), [root]
    while todo:
        slug = todo.pop()
        if slug not in scope:
            scope.add(slug)
            todo += children[slug]
    return scope


# -- Changchun and FAW ---------------------------------------------------------


def test_changchun_cluster_has_no_carmaker_name_as_local_name():
    cluster = _by_slug("clusters")["changchun-faw-cluster"]
    assert cluster["city"] == "Changchun"
    assert "一汽" not in (cluster["local_name"], cluster["city_local"])
    assert all("一汽" not in row["local_name"] + row["city_local"] for row in _rows("clusters"))
    assert "Yiqi" in cluster["editor_note"]  # the reading of 002 is kept for editors


def test_changchun_is_named_as_002_prints_it():
    assert "the Yiqi in Changchun" in _text("002")


# -- Table 3: only CASS's 100, with the places as printed ----------------------


def _printed_table3(text: str) -> tuple[dict[str, int], list[str]]:
    """Per-province counts and the place cells (Chinese part) of 002's Table 3."""
    start = text.index("TABLE 3 - LIST OF TOP 100 INDUSTRIAL CLUSTERS")
    end = text.index("Chinese Academy of Social Sciences", start)
    counts, places = {}, []
    for line in text[start:end].splitlines():
        cells = line.split("\t")
        head = re.match(r"(.+?) \((\d+)\)$", cells[0].strip())
        if head:
            counts[head.group(1)] = int(head.group(2))
        if len(cells) >= 2:
            local = re.findall(r"[\u4e00-\u9fff]+", cells[1])
            places += local
    return counts, places


def test_table_3_rows_are_the_hundred_cass_clusters_with_the_printed_counts():
    table3 = [r for r in _rows("clusters") if r["source"] == TABLE3_SOURCE]
    assert len(table3) == 100
    assert all(r["kind"] == "industrial-cluster" for r in table3)
    counts, places = _printed_table3(_text("002"))
    assert sum(counts.values()) == 100 and counts["Zhejiang province"] == 25
    # every place cell of the seed is one that 002 prints, character for character
    assert {r["city_local"] for r in table3} <= set(places)


def test_clusters_that_cass_did_not_rank_do_not_claim_its_source():
    others = [
        r
        for r in _rows("clusters")
        if r["kind"] == "industrial-cluster" and r["source"] != TABLE3_SOURCE
    ]
    slugs = {r["slug"] for r in others}
    assert {"zhangjiang-drug-valley", "changchun-faw-cluster", "qingdao-haier-cluster"} <= slugs
    assert len(others) == 9
    assert all("top 100" not in r["description"] for r in others)


def test_zhangjiang_drug_valley_keeps_the_mainland_script_outside_table_3():
    valley = _by_slug("clusters")["zhangjiang-drug-valley"]
    assert valley["local_name"] == "张江药谷"  # simplified: no seed prints it otherwise
    assert valley["source"] != TABLE3_SOURCE and not valley["city_local"]
    assert "张江" not in _text("002") and "張江" not in _text("002")


# -- one place, one record -----------------------------------------------------


def _key(row: dict[str, str]) -> tuple[str, str]:
    words = re.findall(r"[a-z]+", row["industry"].lower())
    return row["region"], " ".join(stem(w) for w in words if w not in {"industrial", "cluster"})


def test_no_place_and_industry_is_recorded_twice_under_two_names():
    seen: dict[tuple[str, str], str] = {}
    twice = []
    for row in _rows("clusters"):
        key = _key(row)
        if key in seen:
            twice.append((seen[key], row["slug"]))
        seen[key] = row["slug"]
    assert twice == []
    huadu = [r for r in _rows("clusters") if r["region"] == "huadu"]
    assert [r["slug"] for r in huadu] == ["huadu-automobile-cluster"]
    assert "Huadu Automobile City" in huadu[0]["description"]  # 002's other name for it


# -- acronyms --------------------------------------------------------------------


def test_no_acronym_is_written_in_title_case():
    # Acronyms the seed uses: all-caps aliases of sectors, partnership
    # acronyms, and short names given in brackets ("(CAICT)").
    acronyms = {a for r in _rows("partnerships") for a in [r["acronym"]]}
    acronyms |= {a for r in _rows("sectors") for a in [r["name"], *r["aliases"].split(";")]}
    for entity in ("organisations", "clusters", "policies"):
        acronyms |= {a for r in _rows(entity) for a in re.findall(r"\(([A-Z]{2,6})\)", r["name"])}
    acronyms = {a for a in acronyms if re.fullmatch(r"[A-Z]{3,6}", a)}
    assert {"ICT", "CAICT", "GIVE"} <= acronyms
    wrong = {a[0] + a[1:].lower() for a in acronyms}
    # Inside a sentence (after a word), not at its start: "Give the EU ..." is a verb.
    inside = re.compile(r"(?<=[\w,;] )(" + "|".join(sorted(wrong)) + r")\b")
    found = []
    for entity in READER_FIELDS:
        for row in _rows(entity):
            for field in READER_FIELDS[entity]:
                found += [(row["slug"], w) for w in inside.findall(row[field])]
    assert found == []
    assert _by_slug("partnerships")["give"]["name"] == "Green ICT development"


def test_an_acronym_is_official_exactly_when_a_seed_document_prints_it():
    texts = "\n".join(_text(n) for n in ("000", "001", "002", "003", "004"))
    for row in _rows("partnerships"):
        if not row["acronym"]:
            continue
        printed = re.search(rf"(?<![\w-]){re.escape(row['acronym'])}(?![\w-])", texts) is not None
        assert (row["acronym_official"] == "true") == printed, row["slug"]


def test_the_acronyms_made_up_earlier_are_not_official():
    rows = _by_slug("partnerships")
    for slug in ("st", "beh", "fab", "sga", "esu", "stca", "jrc-cas"):
        assert rows[slug]["acronym_official"] == "false", slug
        assert rows[slug]["editor_note"], slug
    # SENET is printed by 002 (Table 1) and is the project's own name: official.
    assert rows["senet"]["acronym_official"] == "true"


# -- notes for editors -----------------------------------------------------------


def test_notes_for_editors_live_in_their_own_field():
    found = []
    for entity, fields in READER_FIELDS.items():
        for row in _rows(entity):
            found += [(entity, row["slug"], f) for f in fields if EDITOR_PHRASES.search(row[f])]
    assert found == []
    notes = _by_slug("clusters")[
        "national-and-local-co-construction-of-silicon-based-hybrid-integration-innovation-center"
    ]
    assert "Box 2" in notes["editor_note"]


# -- sector tags -------------------------------------------------------------------


def test_appliance_lighting_and_instrument_clusters_are_not_filed_under_ict():
    ict = _sector_scope("ict")
    wrong = [
        r["slug"]
        for r in _rows("clusters")
        if re.search(r"appliance|lighting|measuring instrument", r["industry"], re.I)
        and ict & set(r["sectors"].split(";"))
    ]
    assert wrong == []


def test_the_pharmaceutical_zone_is_not_filed_under_logistics_or_packaging():
    zone = _by_slug("clusters")["tonghua-pharmaceutical-hi-tech-zone"]
    assert set(zone["sectors"].split(";")) <= _sector_scope("human-health")


# -- figures -------------------------------------------------------------------------

# CNY per EUR over 2012-2021 stayed between 6.5 and 8.5: enough for an
# order-of-magnitude check between figures given in the two currencies.
CNY_PER_EUR = (6.5, 8.5)


def test_rd_spending_figures_agree_within_a_factor_of_ten():
    rows = _by_slug("indicators")
    eur_2017 = float(rows["rd-spending-2017"]["value"])  # EUR billion, 002
    assert rows["rd-spending-2017"]["unit"] == "EUR billion"
    for slug in ("rd-investment-2012", "rd-investment-2021"):
        row = rows[slug]
        assert row["unit"] == "CNY billion"
        low, high = (float(row["value"]) / rate for rate in reversed(CNY_PER_EUR))
        assert eur_2017 / 10 < low and high < eur_2017 * 10, slug
        assert "ten times" in row["editor_note"]  # 004's printed value is kept for editors
    assert float(rows["rd-investment-2021"]["value"]) > float(rows["rd-investment-2012"]["value"])


def test_004_prints_the_r_and_d_investment_ten_times_too_small():
    text = _text("004")
    assert "279 billion yuan" in text and "2.44%" in text
