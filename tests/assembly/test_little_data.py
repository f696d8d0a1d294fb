"""A country with almost nothing recorded (one region, one cluster) gets
briefings that read as plain prose: an overview built from what is there, no
sentence about what is missing, sections with nothing to say left out of the
document and of its numbering, and listed with the reason by `briefing
outline`. Policy fields imported as lists joined with ";" print as prose."""

from __future__ import annotations

import json
import re

import docx
import pytest
from pypdf import PdfReader

from briefing_app import cli
from briefing_app.assembly import Selection, build_document, plan_outline
from briefing_app.assembly.listed_text import listed
from briefing_app.assembly.needs import EMPTY_REASON, outline_as_built
from briefing_app.assembly.reader_check import check_document
from briefing_app.document import Heading, Paragraph, Table, document_text
from briefing_app.errors import NothingToPrint
from briefing_app.export import export_selection
from briefing_app.store import open_store
from briefing_app.store.records import Cluster, Country, Policy, Region, Sector

# What a briefing must never tell its reader about the tool or its data.
TOOL_TALK = re.compile(
    r"knowledge base|holds no|no [^.]{0,60} (?:yet|recorded)|not recorded|no data|"
    r"organisations listed in this briefing|each with its source|two parts of this section",
    re.IGNORECASE,
)


@pytest.fixture
def store(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with open_store(tmp_path / "kb.sqlite", seed_dir=empty) as opened:
        opened.upsert("countries", Country("lumeria", "QL", "Lumeria"))
        opened.upsert("regions", Region("port-ansel", "Port Ansel", "city", "QL"))
        opened.upsert("sectors", Sector("ceramics", "Ceramics"))
        opened.upsert(
            "clusters",
            Cluster(
                "port-ansel-ceramics",
                "Port Ansel ceramics cluster",
                "industrial-cluster",
                "QL",
                "port-ansel",
                city="Port Ansel",
                industry="Tableware",
                sectors=("ceramics",),
            ),
        )
        yield opened


def texts(document) -> list[str]:
    found = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            found.append("".join(run.text for run in block.runs))
        elif isinstance(block, Table):
            found += [" | ".join(row) for row in block.rows]
    return found


def headings(document) -> list[tuple[str | None, str]]:
    return [(b.number, b.text) for b in document.blocks if isinstance(b, Heading)]


@pytest.mark.parametrize("region", ["", "port-ansel"])
@pytest.mark.parametrize("blueprint", ["eccp-preparatory", "delegation-brief"])
def test_a_country_with_one_cluster_reads_as_prose(store, blueprint, region):
    selection = Selection(country="QL", region=region, sectors=("ceramics",), blueprint=blueprint)
    document = build_document(store, selection)
    assert check_document(document, store, store.country("QL")) == []
    body = texts(document)
    assert any("Port Ansel ceramics cluster" in t for t in body)
    for text in body:
        assert not TOOL_TALK.search(text), text
    numbers = [n for n, _t in headings(document) if n]
    assert numbers and "A.1" not in numbers[:1]
    # no section with nothing to say is numbered: the numbers run without gaps
    top = [int(n) for n in numbers if n.isdigit()]
    assert top == list(range(1, len(top) + 1))


def test_the_overview_without_a_country_profile_is_built_from_its_clusters(store):
    document = build_document(store, Selection(country="QL", sectors=("ceramics",)))
    titles = [t for _n, t in headings(document)]
    assert "Overview" in titles
    start = next(i for i, b in enumerate(document.blocks) if getattr(b, "text", "") == "Overview")
    first = "".join(run.text for run in document.blocks[start + 1].runs)
    assert first == (
        "Industry in Lumeria is presented here through its cluster: Port Ansel ceramics "
        "cluster, in Port Ansel, works in ceramics (tableware)."
    )
    # nothing to say about opportunities, partnerships, policies or organisations
    assert not {"Opportunities for Europe", "Cluster policies and programmes in Lumeria"} & {
        t.split(":")[0] for t in titles
    }


def test_a_factsheet_with_no_policy_is_refused_with_the_reason(store):
    selection = Selection(country="QL", blueprint="country-factsheet")
    with pytest.raises(NothingToPrint, match="no policies are recorded for Lumeria"):
        build_document(store, selection)
    reasons = {i.key: i.left_out for i in outline_as_built(store, selection)}
    assert reasons["factsheet-policies"] == "no policies are recorded for Lumeria"
    assert reasons["annex-bibliography"] == EMPTY_REASON


def test_the_outline_command_lists_what_is_left_out_and_why(store, capsys):
    assert (
        cli.main(["outline", "--country", "QL", "--sector", "ceramics", "--db", str(store.path)])
        == 0
    )
    out = capsys.readouterr().out
    printed, _, left = out.partition("Left out of the briefing:")
    assert "2.1     Overview" in printed and "Suggested partners" not in printed
    assert "Suggested partners (suggested-partners): no visitor profile is chosen" in left
    assert "Relevant organisations in Lumeria (annex-organisations): no organisations" in left
    assert f"(opportunities): {EMPTY_REASON}" in left
    assert cli.main(["outline", "--country", "QL", "--json", "--db", str(store.path)]) == 0
    rows = {row["key"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["suggested-partners"]["number"] is None
    assert rows["objective"] == {
        "key": "objective",
        "section": "objective",
        "title": "Objective of the report",
        "number": "1",
        "left_out": "",
    }


def test_the_planner_leaves_out_what_needs_a_visitor_profile(store):
    items = {i.key: i for i in plan_outline(store, Selection(country="QL"))}
    assert items["suggested-partners"].left_out == "no visitor profile is chosen"
    assert items["annex-meeting-shortlist"].left_out == "no visitor profile is chosen"
    assert items["objective"].left_out == "" and items["objective"].built


# -- list-like policy fields ----------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "printed"),
    [
        ("Cluster organisations;SMEs", "Cluster organisations and SMEs"),
        (
            "Strengthen cluster organisations;Link clusters with universities",
            "Strengthen cluster organisations and link clusters with universities",
        ),
        ("Grants; Loans; Vouchers for SMEs", "Grants, loans and vouchers for SMEs"),
        ("Ministry of Economy;Regional agencies", "Ministry of Economy and regional agencies"),
        ("Improve support.;Support SMEs", "Improve support. Support SMEs."),
        ("Training (managers; staff);Export fairs", "Training (managers; staff) and export fairs"),
        # already prose: kept as written
        ("SMEs; research organisations; start-ups.", "SMEs; research organisations; start-ups."),
        ("Funding, vouchers;Fairs", "Funding, vouchers; fairs"),
        ("One item;", "One item"),
    ],
)
def test_list_fields_read_as_prose(stored, printed):
    assert listed(stored) == printed


def test_the_china_seed_policy_fields_are_already_prose(seeded_store):
    for policy in seeded_store.policies():
        for field in ("objectives", "focus", "beneficiaries", "authorities"):
            value = getattr(policy, field)
            assert listed(value) == value.strip(), (policy.slug, field)


def _kiln_programme(store, **fields) -> None:
    """Lumeria's one cluster policy, with ``fields``."""
    store.upsert(
        "policies",
        Policy(
            "kiln-programme",
            "Kiln modernisation programme",
            "QL",
            "national",
            is_cluster_policy=True,
            **fields,
        ),
    )


def test_a_factsheet_prints_policy_lists_as_prose(store, tmp_path):
    _kiln_programme(
        store,
        local_name="Programa dos fornos",
        objectives="Cut energy use.;Support SMEs",
        beneficiaries="Cluster organisations;SMEs",
        financial_instruments="Grants; Loans",
    )
    selection = Selection(country="QL", blueprint="country-factsheet")
    assert check_document(build_document(store, selection), store, store.country("QL")) == []
    written = {p.suffix: p for p in export_selection(store, selection, tmp_path, ("docx", "pdf"))}
    word = docx.Document(str(written[".docx"]))
    cells = {
        row.cells[0].text: row.cells[1].text for t in word.tables for row in t.rows if row.cells
    }
    assert cells["Objectives"] == "Cut energy use. Support SMEs."
    assert cells["Beneficiaries"] == "Cluster organisations and SMEs"
    assert cells["Financial instruments"] == "Grants and loans"
    pdf = "\n".join(page.extract_text() for page in PdfReader(str(written[".pdf"])).pages)
    assert "Cluster organisations and SMEs" in pdf and ";SMEs" not in pdf
    assert "Programa dos fornos" in pdf
    # the store keeps the text as imported
    assert store.get("policies", "kiln-programme").beneficiaries == "Cluster organisations;SMEs"


# -- local names: optional columns, asides, needs in front matter -------------------

TABLE = (
    "{{ table(kb.organisations(), [['Organisation', 'name'], ['Local name', 'local_name'], "
    "['Website', 'website']], 'Bodies', widths=[3, 2, 2], optional=['local_name']) }}\n\n"
    "{% for o in kb.organisations() %}- {{ kb.named(o, o.website) }}\n{% endfor %}"
)


def organisation_table(store, preview_rows=None) -> Table:
    from briefing_app.assembly.build import BuildSession

    session = BuildSession(store, Selection(country="QL"), preview_rows=preview_rows)
    section = next(iter(session.library().values()))
    blocks = session.render_blocks(section, {}, 2, "t", body=TABLE)
    return next(b for b in blocks if isinstance(b, Table)), blocks


def test_a_local_name_column_appears_only_when_some_row_has_one(store):
    from briefing_app.document import plain_text
    from briefing_app.store.records import Organisation

    store.upsert(
        "organisations",
        Organisation("a-guild", "A guild", "association", "QL", website="a.example"),
    )
    table, blocks = organisation_table(store)
    assert [plain_text(c) for c in table.header_rows[0]] == ["Organisation", "Website"]
    assert table.column_widths == (3.0, 2.0)
    store.upsert(
        "organisations", Organisation("b-office", "B office", "agency", "QL", local_name="Ofisi B")
    )
    table, blocks = organisation_table(store)
    assert [plain_text(c) for c in table.header_rows[0]] == [
        "Organisation",
        "Local name",
        "Website",
    ]
    assert [tuple(plain_text(c) for c in row) for row in table.rows] == [
        ("A guild", "", "a.example"),
        ("B office", "Ofisi B", ""),
    ]
    items = [plain_text(item.runs) for b in blocks if hasattr(b, "items") for item in b.items]
    assert items == ["A guild (a.example)", "B office (Ofisi B)"]
    # a preview that shows only the first row keeps the column the full build has
    preview, _blocks = organisation_table(store, preview_rows=1)
    assert len(preview.header_rows[0]) == 3 and preview.omitted_rows == 1
    # fewer than half of the rows with one: the names go beside the first column
    store.upsert("organisations", Organisation("c-fund", "C fund", "agency", "QL"))
    table, _blocks = organisation_table(store)
    assert [plain_text(c) for c in table.header_rows[0]] == ["Organisation", "Website"]
    assert [plain_text(row[0]) for row in table.rows] == ["A guild", "B office (Ofisi B)", "C fund"]
    assert table.column_widths == (3.0, 2.0)


def test_a_need_the_planner_does_not_know_is_refused_with_the_known_ones():
    from briefing_app.assembly.library import template_from_text
    from briefing_app.errors import TemplateError

    assert template_from_text("---\nneeds: [profiles, policies]\n---\nText.\n", "s").needs == (
        "profiles",
        "policies",
    )
    with pytest.raises(TemplateError, match="no need 'profile'; did you mean 'profiles'"):
        template_from_text("---\nneeds: [profile]\n---\nText.\n", "s")


def test_the_coverage_report_says_which_sections_are_left_out(store):
    from briefing_app.assembly.coverage import coverage, format_report

    report = coverage(store, Selection(country="QL", sectors=("ceramics",)))
    reasons = {item.key: item.left_out for item in report.items}
    assert reasons["suggested-partners"] == "no visitor profile is chosen"
    assert reasons["annex-organisations"] == "no organisations are recorded for Lumeria"
    assert reasons["economy-overview"] == ""
    assert "    left out: no visitor profile is chosen" in format_report(report)


def test_the_sub_sections_of_a_section_left_out_go_with_it(store):
    """A hand-made outline nests a section under one that needs a visitor
    profile: with none chosen both are left out, for the parent's reason,
    and nothing is printed under the heading before them."""
    from briefing_app.assembly.selection import OutlineItem

    planned = plan_outline(store, Selection(country="QL"))
    objective = next(i for i in planned if i.key == "objective")
    outline = [
        objective,
        OutlineItem("suggested-partners", "suggested-partners", "Suggested partners", 1),
        OutlineItem("nested", objective.section, "Under the partners", 2),
        OutlineItem("after", objective.section, "After them", 1),
    ]
    reasons: dict[str, str] = {}
    document = build_document(store, Selection(country="QL"), outline, left_out=reasons)
    assert reasons["suggested-partners"] == reasons["nested"] == "no visitor profile is chosen"
    printed = [text for _number, text in headings(document)]
    assert "Under the partners" not in printed
    assert "After them" in printed


def test_a_visit_brief_does_not_promise_clusters_of_a_field_the_area_lacks(store):
    """Port Ansel's one cluster makes ceramics; a visit about glass is told so,
    not that "those below work in the field of the visit"."""
    store.upsert("sectors", Sector("glass", "Glass"))
    selection = Selection(
        country="QL", region="port-ansel", sectors=("glass",), blueprint="delegation-brief"
    )
    said = " ".join(texts(build_document(store, selection)))
    assert "does not work in the field of the visit" in said
    assert "those below work" not in said
    assert not TOOL_TALK.search(said)


@pytest.mark.parametrize(
    ("continuity", "said"),
    [("continuous", "with clear continuity"), ("interrupted", "with interruptions"), ("", "")],
)
def test_a_factsheet_says_how_continuous_a_policy_was_only_when_recorded(store, continuity, said):
    _kiln_programme(store, start_year=2019, end_year=2025, continuity=continuity)
    selection = Selection(country="QL", blueprint="country-factsheet")
    text = document_text(build_document(store, selection))
    line = "Kiln modernisation programme: in place since 2019, planned until 2025"
    assert f"{line}{', ' + said if said else ''}." in text
