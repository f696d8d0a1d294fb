"""Consistency of the seed knowledge base in ``db/seed/``.

These tests read the CSV files with the csv module only (no store code), so a
broken seed file is reported here with its file and line, before the store
ever loads it. They check the contract of CONTRIBUTING.md ("Seed files"):
headers equal the record fields in order, slugs are unique and well formed,
every reference resolves, kinds are rows of ``kinds.csv``, and
the figures the issue fixes (Table 3 counts per province) hold.
"""

from __future__ import annotations

import csv
import dataclasses
import re
from collections import Counter
from pathlib import Path

import pytest

from briefing_app.store import records as R

SEED = Path(__file__).resolve().parents[2] / "db" / "seed"

FILES = {
    "sources": R.Source,
    "countries": R.Country,
    "kinds": R.Kind,
    "regions": R.Region,
    "sectors": R.Sector,
    "clusters": R.Cluster,
    "partnerships": R.Partnership,
    "policies": R.Policy,
    "organisations": R.Organisation,
    "indicators": R.Indicator,
}

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
TABLE3_SOURCE = "cass-top-100-industrial-clusters-2010"
TABLE3_COUNTS = {
    "zhejiang": 25,
    "jiangsu": 16,
    "guangdong": 13,
    "shandong": 10,
    "fujian": 7,
    "hebei": 6,
    "shanxi": 4,
    "henan": 3,
    "liaoning": 3,
    "hubei": 2,
    "hunan": 2,
    "jilin": 2,
    "shanghai": 1,
    "chongqing": 1,
    "anhui": 1,
    "heilongjiang": 1,
    "guizhou": 1,
    "shaanxi": 1,
    "xinjiang": 1,
}
PROVINCE_LEVEL = {"province", "municipality", "autonomous-region", "sar"}


def read(entity: str) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of one seed file; rows keep their line number in ``_line``."""
    if not (SEED / f"{entity}.csv").exists():
        return [f.name for f in dataclasses.fields(FILES[entity])], []
    with open(SEED / f"{entity}.csv", newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = []
        for values in reader:
            assert len(values) == len(header), (
                f"{entity}.csv line {reader.line_num}: {len(values)} cells"
            )
            row = dict(zip(header, values, strict=True))
            row["_line"] = str(reader.line_num)
            rows.append(row)
    return header, rows


@pytest.fixture(scope="module")
def seed() -> dict[str, list[dict[str, str]]]:
    return {entity: read(entity)[1] for entity in FILES}


def split(cell: str) -> list[str]:
    return [part for part in cell.split(";") if part]


def slugs(rows: list[dict[str, str]]) -> set[str]:
    return {row["slug"] for row in rows}


@pytest.mark.parametrize("entity", list(FILES))
def test_header_is_the_record_fields_in_order(entity):
    if not (SEED / f"{entity}.csv").exists():
        pytest.skip(f"{entity}.csv not written yet")
    header, rows = read(entity)
    assert header == [f.name for f in dataclasses.fields(FILES[entity])]
    assert rows, f"{entity}.csv has no records"


@pytest.mark.parametrize("entity", list(FILES))
def test_slugs_are_unique_and_well_formed(entity, seed):
    rows = seed[entity]
    counts = Counter(row["slug"] for row in rows)
    assert [s for s, n in counts.items() if n > 1] == []
    assert [row["slug"] for row in rows if not SLUG.match(row["slug"])] == []


def test_countries_are_referred_to_by_iso_code(seed):
    codes = {row["iso_code"] for row in seed["countries"]}
    assert "CN" in codes
    china = next(row for row in seed["countries"] if row["iso_code"] == "CN")
    assert china["slug"] == "china" and china["local_name"] == "中国"
    for entity in ("regions", "clusters", "policies", "organisations", "indicators"):
        bad = [row["_line"] for row in seed[entity] if row["country"] not in codes]
        assert bad == [], f"{entity}.csv lines {bad}: unknown country"
    bad = [
        row["_line"]
        for row in seed["partnerships"]
        if not split(row["target_countries"]) or set(split(row["target_countries"])) - codes
    ]
    assert bad == [], f"partnerships.csv lines {bad}: unknown target country"


def test_every_reference_resolves(seed):
    known = {entity: slugs(rows) for entity, rows in seed.items()}
    # (entity, column, target entity, may be empty, multi-valued)
    references = [
        ("countries", "source", "sources", False, False),
        ("regions", "parent", "regions", True, False),
        ("regions", "groups", "regions", True, True),
        ("regions", "source", "sources", False, False),
        ("sectors", "parent", "sectors", True, False),
        ("clusters", "region", "regions", False, False),
        ("clusters", "sectors", "sectors", True, True),
        ("clusters", "source", "sources", False, False),
        ("partnerships", "sectors", "sectors", False, True),
        ("partnerships", "source", "sources", False, False),
        ("policies", "region", "regions", True, False),
        ("policies", "sectors", "sectors", True, True),
        ("policies", "sources", "sources", False, True),
        ("organisations", "region", "regions", True, False),
        ("organisations", "sectors", "sectors", True, True),
        ("organisations", "source", "sources", False, False),
        ("indicators", "region", "regions", True, False),
        ("indicators", "sector", "sectors", True, False),
        ("indicators", "source", "sources", False, False),
    ]
    problems = []
    for entity, column, target, optional, multi in references:
        for row in seed[entity]:
            values = split(row[column]) if multi else ([row[column]] if row[column] else [])
            if not values and not optional:
                problems.append(f"{entity}.csv line {row['_line']}: empty {column}")
            problems += [
                f"{entity}.csv line {row['_line']}: {column} {v!r} not in {target}.csv"
                for v in values
                if v not in known[target]
            ]
    assert problems == []


def test_kinds_come_from_the_kinds_file(seed):
    rows = seed["kinds"]
    codes = {
        entity: tuple(row["code"] for row in rows if row["entity"] == entity)
        for entity in R.KIND_FIELDS
    }
    assert all(row["slug"] == f"{row['entity']}-{row['code']}" for row in rows)
    assert all(row["grouping"] in R.KIND_GROUPINGS[row["entity"]] for row in rows)
    checks = [
        ("regions", "kind", codes["regions"]),
        ("clusters", "kind", codes["clusters"]),
        ("partnerships", "kind", codes["partnerships"]),
        ("organisations", "kind", codes["organisations"]),
        ("policies", "level", codes["policies"]),
        ("policies", "evaluation", R.EVALUATION_KINDS),
        ("policies", "continuity", ("continuous", "interrupted")),
        ("policies", "is_cluster_policy", ("true", "false")),
    ]
    bad = [
        f"{entity}.csv line {row['_line']}: {column}={row[column]!r}"
        for entity, column, allowed in checks
        for row in seed[entity]
        if row[column] not in allowed
    ]
    assert bad == []


def test_numbers_parse(seed):
    int_columns = [
        ("clusters", "established"),
        ("partnerships", "start_year"),
        ("partnerships", "end_year"),
        ("policies", "start_year"),
        ("policies", "end_year"),
        ("indicators", "year"),
    ]
    bad = []
    for entity, column in int_columns:
        bad += [
            f"{entity}.csv line {row['_line']}: {column}"
            for row in seed[entity]
            if row[column] and not re.fullmatch(r"\d{4}", row[column])
        ]
    for row in seed["indicators"]:
        try:
            float(row["value"])
        except ValueError:
            bad.append(f"indicators.csv line {row['_line']}: value {row['value']!r}")
        if not row["year"]:
            bad.append(f"indicators.csv line {row['_line']}: no year")
    assert bad == []


def test_region_and_sector_trees_have_no_cycles(seed):
    for entity in ("regions", "sectors"):
        parent = {row["slug"]: row["parent"] for row in seed[entity]}
        for start in parent:
            seen, node = set(), start
            while node:
                assert node not in seen, f"{entity}: cycle through {start}"
                seen.add(node)
                node = parent.get(node, "")


def province_of(region: str, regions: dict[str, dict[str, str]]) -> str:
    """Walk the parent chain up to the province-level division."""
    while regions[region]["kind"] not in PROVINCE_LEVEL:
        region = regions[region]["parent"]
        assert region, "a Table 3 place has no province above it"
    return region


def test_table3_has_the_printed_counts_per_province(seed):
    regions = {row["slug"]: row for row in seed["regions"]}
    table3 = [row for row in seed["clusters"] if row["source"] == TABLE3_SOURCE]
    assert len(table3) == 100
    assert all(row["kind"] == "industrial-cluster" and row["sectors"] for row in table3)
    counts = Counter(province_of(row["region"], regions) for row in table3)
    assert dict(counts) == TABLE3_COUNTS


def test_table3_keeps_the_printed_places(seed):
    by_slug = {row["slug"]: row for row in seed["clusters"]}
    xiaoshan = by_slug["xiaoshan-steel-structures-cluster"]
    assert (xiaoshan["city"], xiaoshan["city_local"], xiaoshan["industry"]) == (
        "Xiaoshan, Hangzhou",
        "杭州蕭山",
        "Steel structures",
    )
    regions = {row["slug"]: row for row in seed["regions"]}
    assert regions["xiaoshan"]["parent"] == "hangzhou"
    assert regions["hangzhou"]["local_name"] == "杭州"
    # every printed place name ends with the region's own printed name
    table3 = [row for row in seed["clusters"] if row["source"] == TABLE3_SOURCE]
    bad = [
        row["slug"]
        for row in table3
        if not row["city_local"].endswith(regions[row["region"]]["local_name"])
    ]
    assert bad == []


def test_city_clusters_have_the_members_the_sources_give(seed):
    members: dict[str, set[str]] = {}
    for row in seed["regions"]:
        for group in split(row["groups"]):
            members.setdefault(group, set()).add(row["slug"])
    assert {"shanghai", "jiangsu", "zhejiang", "anhui"} <= members["yangtze-river-delta"]
    assert {"beijing", "tianjin", "hebei"} <= members["beijing-tianjin-hebei"]
    assert {
        "guangzhou",
        "shenzhen",
        "dongguan",
        "foshan",
        "zhongshan",
        "zhuhai",
        "huizhou",
    } <= members["pearl-river-delta"]
    gba = members["greater-bay-area"]
    assert {"hong-kong", "macao"} <= gba and len(gba) == 11
    kinds = {row["slug"]: row["kind"] for row in seed["regions"]}
    assert all(kinds[group] == "city-cluster" for group in members)


def test_all_province_level_divisions_are_present(seed):
    counts = Counter(row["kind"] for row in seed["regions"])
    assert counts["province"] >= 22
    assert counts["municipality"] == 4
    assert counts["autonomous-region"] == 5
    assert counts["sar"] == 2
    assert all(row["local_name"] for row in seed["regions"] if row["kind"] in PROVINCE_LEVEL)


def maturity_from_policies(policies: list[dict[str, str]], year: int) -> dict[str, float]:
    """The cluster policy maturity index of 003, scored from policy rows by 003's rules."""
    cluster = [p for p in policies if p["is_cluster_policy"] == "true"]
    scope = 2 if cluster else (1 if policies else 0)
    consistency = 0
    for p in cluster:
        start = int(p["start_year"] or year)
        end = min(int(p["end_year"] or year), year)
        consistency = max(
            consistency, 2 if end - start > 10 and p["continuity"] == "continuous" else 1
        )
    evaluations = {p["evaluation"] for p in policies}
    evidence = 0.5 * ("in-itinere" in evaluations) + 0.5 * bool(
        evaluations & {"ex-ante", "ex-post", "ex-ante-and-ex-post"}
    )
    instruments = int(any(p["financial_instruments"] for p in cluster)) + int(
        any(p["technical_instruments"] for p in cluster)
    )
    return {
        "policy-scope": scope,
        "consistency": consistency,
        "evidence-of-performance": evidence,
        "instruments": instruments,
    }


def test_policy_records_reproduce_the_factsheet_maturity_index(seed):
    china = [p for p in seed["policies"] if p["country"] == "CN"]
    scores = maturity_from_policies(china, year=2020)  # 003 scored the data of 2020
    printed = {
        row["slug"].removeprefix("cluster-policy-maturity-"): float(row["value"])
        for row in seed["indicators"]
        if row["series"] == "cluster-policy-maturity"
    }
    assert (
        scores
        == printed
        == {"policy-scope": 2, "consistency": 2, "evidence-of-performance": 0.5, "instruments": 2}
    )


def test_factsheet_policies_carry_every_field(seed):
    by_slug = {p["slug"]: p for p in seed["policies"]}
    fields = [
        "objectives",
        "focus",
        "authorities",
        "beneficiaries",
        "financial_instruments",
        "technical_instruments",
        "start_year",
        "budget",
        "funding_source",
        "evaluation_note",
        "description",
    ]
    for slug in ("torch-program", "city-clusters-policy", "greater-bay-area-development-plan"):
        assert [f for f in fields if not by_slug[slug][f]] == [], slug
        assert by_slug[slug]["is_cluster_policy"] == "true"
    assert by_slug["city-clusters-policy"]["evaluation"] == "none"
    assert (
        by_slug["torch-program"]["start_year"] == "1988"
        and by_slug["torch-program"]["end_year"] == ""
    )


def test_partnerships_of_the_briefing_are_all_there(seed):
    kinds = Counter(row["kind"] for row in seed["partnerships"])
    assert kinds["escp-4i"] == 9 and kinds["rdi-project"] == 7 and kinds["flagship-initiative"] == 5
    projects = [row for row in seed["partnerships"] if row["kind"] == "rdi-project"]
    assert all(
        row["start_year"] and row["end_year"] and row["website"] and row["objective"]
        for row in projects
    )


def test_organisations_are_not_listed_twice(seed):
    names = Counter(row["name"].lower() for row in seed["organisations"])
    sites = Counter(
        row["website"].lower().removeprefix("http://").removeprefix("https://").removeprefix("www.")
        for row in seed["organisations"]
        if row["website"]
    )
    assert [n for n, c in names.items() if c > 1] == []
    assert [s for s, c in sites.items() if c > 1] == []


def test_made_in_china_2025_lists_ten_priority_sectors(seed):
    mic = next(p for p in seed["policies"] if p["slug"] == "made-in-china-2025")
    assert len(split(mic["sectors"])) >= 8
    assert mic["description"].count(";") >= 9  # the ten priorities are listed


def test_every_source_is_used_or_is_a_listed_reference(seed):
    cited = {row["source"] for entity in seed for row in seed[entity] if "source" in row}
    cited |= {s for row in seed["policies"] for s in split(row["sources"])}
    for row in seed["sources"]:
        assert row["slug"] in cited or row["note"], (
            f"source {row['slug']} neither cited nor explained"
        )


def test_all_128_footnotes_of_the_briefing_are_sources(seed):
    cited: list[int] = []
    for row in seed["sources"]:
        match = re.search(r"Cited in eccp-china-briefing-2019, footnotes? ([\d, ]+)\.", row["note"])
        if match:
            cited += [int(n) for n in match.group(1).split(",")]
    assert sorted(cited) == list(range(1, 129))  # each footnote once: de-duplicated, none missing


def test_sector_names_and_aliases_point_to_one_sector_each(seed):
    owners: dict[str, set[str]] = {}
    for row in seed["sectors"]:
        for text in [row["slug"], row["name"], *split(row["aliases"])]:
            owners.setdefault(text.lower(), set()).add(row["slug"])
    assert {text: s for text, s in owners.items() if len(s) > 1} == {}
    for alias in (
        "biotech",
        "pharmaceuticals",
        "tcm",
        "photovoltaic",
        "information technology",
        "textile",
    ):
        assert alias in owners
