"""The coverage report: section by section, what a briefing will show and lack."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefing_app import cli
from briefing_app.assembly import Selection, plan_outline
from briefing_app.assembly.coverage import coverage, format_report
from briefing_app.assembly.library import section_library

VARNESIA = Path(__file__).resolve().parents[1] / "packs" / "varnesia"
YEAR = 2026  # the report's "now", given so that the test does not age


@pytest.fixture
def varnesia(seeded_store):
    """China and Varnesia in one knowledge base, with the shipped library."""
    seeded_store.import_pack(VARNESIA)
    return seeded_store


def by_section(report) -> dict:
    return {item.section: item for item in report.items}


def use(item, kind):
    return next(u for u in item.uses if u.kind == kind)


def test_china_report_follows_the_planned_outline(seeded_store):
    selection = Selection(country="CN", region="zhejiang", sectors=("automotive",))
    report = coverage(seeded_store, selection, year=YEAR)
    assert [i.key for i in report.items] == [i.key for i in plan_outline(seeded_store, selection)]
    # the origin agrees with the library's scopes and with what planning says
    library = section_library(seeded_store.sections())
    planned = {i.key: i for i in plan_outline(seeded_store, selection)}
    for item in report.items:
        if "CN" in library[item.section].countries:
            assert item.origin == "country", item.key
        else:
            assert item.origin == ("variant" if planned[item.key].written_for else "generic")
    assert {i.origin for i in report.items} >= {"country", "generic"}
    items = {i.key: i for i in report.items}
    clusters = use(items["cluster-community"], "clusters")
    assert clusters.count == len(seeded_store.clusters("CN", "zhejiang"))
    assert clusters.scope == "Zhejiang"
    # policies of the country that bear on Zhejiang: national ones, and those of
    # an area overlapping it
    automotive = use(items["sector-policies/automotive"], "policies")
    here = seeded_store.region_scope("zhejiang")
    expected = len(
        [
            p
            for p in seeded_store.policies("CN", sector="automotive")
            if not p.region or here & seeded_store.region_scope(p.region)
        ]
    )
    assert automotive.count == expected and automotive.scope == "China, Automotive"
    assert bool(items["sector-policies/automotive"].missing) == (expected == 0)


def test_china_stale_facts_follow_the_threshold(seeded_store):
    selection = Selection(country="CN", blueprint="country-factsheet")
    policies = seeded_store.policies("CN")
    for max_age in (0, 5, 60):
        report = coverage(seeded_store, selection, max_age=max_age, year=YEAR)
        ended = [p for p in policies if p.end_year is not None and p.end_year < YEAR - max_age]
        stale = by_section(report)["factsheet-policies"].stale
        if ended:
            assert stale == (
                f"{len(ended)} of {len(policies)} policies ended before {YEAR - max_age} "
                f"(more than {max_age} years ago)",
            )
        else:
            assert stale == ()
    text = format_report(coverage(seeded_store, selection, year=YEAR))
    assert "National cluster policy, programmes and initiatives" in text
    assert "policies: " + str(len(policies)) + " (China)" in text


def test_varnesia_report_names_its_own_section_and_its_gaps(varnesia):
    selection = Selection(
        country="QV",
        region="amber-coast",
        sectors=("amber-crafts", "tidal-energy", "dairy-farming"),
    )
    report = coverage(varnesia, selection, year=YEAR)
    assert report.area == "Amber Coast" and report.country == "QV"
    items = {i.key: i for i in report.items}
    assert items["sector-strength/amber-crafts"].origin == "country"
    assert items["sector-strength/tidal-energy"].origin == "generic"
    tidal = items["sector-strength/tidal-energy"]
    assert use(tidal, "clusters").count == 0
    assert "no clusters for Amber Coast, Tidal energy" in tidal.missing
    dairy = items["sector-policies/dairy-farming"]
    assert dairy.stale == ("1 of 1 policies ended before 2021 (more than 5 years ago)",)
    overview = by_section(report)["economy-overview"]
    assert use(overview, "country profile").count == 1
    # the country's figures, as the template's kb.indicators() finds them
    assert use(overview, "indicators").count == len(varnesia.indicators("QV"))
    assert (
        "1 indicator series with no figure since 2021 (older than 5 years): "
        "Milk delivered to dairies"
    ) in overview.stale
    amber = items["sector-strength/amber-crafts"]
    assert use(amber, "indicators").scope == "Varnesia, Amber crafts"
    assert use(amber, "clusters").scope == "Amber Coast, Amber crafts"
    # the food cluster of Severna has no local name of any kind
    community = by_section(report)["cluster-community"]
    assert "1 of 5 clusters have no local name" in community.missing
    assert not any("China" in i.title for i in report.items)
    # Severna and Yuzhna have a position in the pack, Zlatomor has none
    mapping = by_section(report)["cluster-mapping"]
    assert use(mapping, "map places").count == 2
    assert "1 of the members of Amber Coast have no map position" in mapping.missing


def test_country_with_nothing_but_its_name(varnesia):
    from briefing_app.store.records import Country

    varnesia.upsert("countries", Country("emptia", "QE", "Emptia"))
    report = coverage(varnesia, Selection(country="QE", blueprint="delegation-brief"), year=YEAR)
    gaps = [text for item in report.items for text in item.missing]
    assert "no clusters for Emptia" in gaps and "no indicator records for Emptia" in gaps


def test_cli_coverage_text_and_json(varnesia, capsys):
    db = str(varnesia.path)
    argv = ["coverage", "--country", "QV", "--sector", "amber", "--db", db, "--max-age", "3"]
    assert cli.main(argv) == 0
    text = capsys.readouterr().out
    assert "Amber crafts  [sector-strength-amber-crafts-qv: country]" in text
    assert "facts older than 3 years" in text
    assert cli.main([*argv, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["country"] == "QV" and data["max_age"] == 3
    assert {"key", "title", "section", "origin", "uses", "missing", "stale"} <= set(
        data["items"][0]
    )
    assert cli.main(["coverage", "--country", "CN", "--db", db, "--json"]) == 0
    china = json.loads(capsys.readouterr().out)
    assert [i["key"] for i in china["items"]] == [
        i.key for i in plan_outline(varnesia, Selection(country="CN"))
    ]
    assert cli.main(["coverage", "--country", "XX", "--db", db]) == 1
    assert "country" in capsys.readouterr().err
