"""The reader-text rules (DESIGN.md "Reader text"): the checker rule by rule on
small documents, the shipped briefings as a whole, ``briefing check`` and the
layout rules (headings kept with what follows, addresses that break after
"/" or ".")."""

from __future__ import annotations

import zipfile

import pytest
from pypdf import PdfReader

from briefing_app.assembly import Selection, build_document
from briefing_app.assembly.amounts import amount
from briefing_app.assembly.reader_check import check_document
from briefing_app.cli import main
from briefing_app.document import (
    BulletList,
    Document,
    FootnoteRef,
    Heading,
    ListItem,
    Metadata,
    Paragraph,
    Text,
)
from briefing_app.render.url_breaks import with_breaks


def _doc(*blocks) -> Document:
    return Document(Metadata(title="Briefing on Testland"), (Heading(1, "Scope", "1"), *blocks))


def _rules(document: Document) -> list[str]:
    return [f.rule for f in check_document(document)]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("The knowledge base records 9 clusters.", "tool-words"),
        ("No Space cluster is recorded for China yet.", "tool-words"),
        ("The area holds no profile text.", "tool-words"),
        ("Acronym added for this knowledge base.", "tool-words"),
        ("No information is available on the economy of Lumeria.", "tool-words"),
        ("Figures for Lumeria are not available.", "tool-words"),
        ("There is no data on its trade.", "tool-words"),
        ("No description of the region has been entered.", "tool-words"),
        ("This section has nothing to report for Lumeria.", "tool-words"),
        ("The acronym is the usual short name, not printed in 002.", "tool-words"),
        ("China holds 9 of the 9 automotive clusters.", "tautology"),
        ("Most health-related clusters of China are in China.", "tautology"),
        ("Total R&D expenditure (2017): 222.7 EUR billion.", "amount-order"),
        ("The amount went from 73.2 USD 100 million in 2013.", "amount-order"),
        ("Evaluation: None.", "leftover"),
        ("Value: nan.", "leftover"),
        ("A cluster () of firms.", "leftover"),
        ("A cluster of of firms.", "leftover"),
        ("Growth was {{ value }} per cent.", "leftover"),
        ("Growth was **strong**.", "leftover"),
        ("R&D: CNY 279 billion, against EUR 222.7 billion in 2017.", "mixed-comparison"),
    ],
)
def test_each_rule_finds_its_fault(text, rule):
    assert rule in _rules(_doc(Paragraph((Text(text),))))


@pytest.mark.parametrize(
    "text",
    [
        "Total R&D expenditure (2017): EUR 222.7 billion.",
        "EU imports from China rose; Nan'an makes plumbing hardware.",
        "Market entry is easier in the free trade zones of Shanghai.",
        "Firms in Guangdong hold four of the nine automotive clusters of China.",
        "Land is available at low cost in the free trade zone.",
        "Bank loans are not available to most small firms.",
    ],
)
def test_plain_prose_passes(text):
    assert _rules(_doc(Paragraph((Text(text),)))) == []


def test_a_footnote_mark_after_a_digit_is_found_and_after_a_word_is_not():
    digit = Paragraph((Text("Rank (2018): 5"), FootnoteRef(1)))
    word = Paragraph((Text("Rank (2018): 5th"), FootnoteRef(1)))
    listed = BulletList((ListItem((Text("Vehicle exports, 2018"), FootnoteRef(2))),))
    assert _rules(_doc(digit)) == ["footnote-after-digit"]
    assert _rules(_doc(word)) == []
    assert _rules(_doc(listed)) == ["footnote-after-digit"]


def test_a_finding_says_where_it_is():
    document = _doc(Paragraph((Text("Intro."),)), Paragraph((Text("The knowledge base says."),)))
    (finding,) = check_document(document)
    assert finding.where.startswith("1 Scope")
    assert "knowledge base" in finding.excerpt


@pytest.mark.parametrize(
    ("value", "unit", "printed"),
    [
        (222.7, "EUR billion", "EUR 222.7 billion"),
        (170136, "EUR million", "EUR 170.1 billion"),
        (73.2, "USD 100 million", "USD 7.32 billion"),
        (200, "CNY million per year", "CNY 200 million per year"),
        (46, "rank (of 190)", "46th of 190"),
        (2.44, "% of GDP", "2.44% of GDP"),
        (27.8, "million units", "27.8 million units"),
    ],
)
def test_amounts_print_currency_amount_scale(value, unit, printed):
    assert amount(value, unit) == printed


def test_the_checker_flags_figures_of_one_quantity_ten_times_apart(seeded_store):
    """The seed once held 004's misprinted CNY 279 billion (it is now corrected):
    a figure like it, entered by an editor, is flagged beside the right one."""
    from briefing_app.store.records import Indicator

    seeded_store.upsert(
        "indicators",
        Indicator(
            slug="rd-investment-misprint",
            name="R&D investment",
            value=279.0,
            unit="CNY billion",
            year=2021,
            country="CN",
            source="wu-country-study-china-2023",
            series="rd-investment",
        ),
    )
    text = (
        "Total R&D expenditure (2017): EUR 222.7 billion. R&D investment (2021): CNY 279 billion."
    )
    findings = check_document(_doc(Paragraph((Text(text),))), seeded_store, "CN")
    assert [f.rule for f in findings] == ["series-factor"]
    assert "R&D investment" in findings[0].excerpt


SELECTIONS = {
    "full China": dict(
        country="CN",
        sectors=("automotive", "human-health", "renewable-energy", "ict"),
        blueprint="eccp-preparatory",
    ),
    "Pearl River Delta": dict(
        country="CN",
        region="pearl-river-delta",
        sectors=("automotive",),
        partnerships=("give",),
        blueprint="delegation-brief",
    ),
    "Yangtze River Delta": dict(
        country="CN", region="yangtze-river-delta", sectors=("ict",), blueprint="delegation-brief"
    ),
    "Jilin": dict(
        country="CN", region="jilin", sectors=("human-health",), blueprint="delegation-brief"
    ),
    "Zhejiang": dict(
        country="CN", region="zhejiang", sectors=("renewable-energy",), blueprint="eccp-preparatory"
    ),
}


def test_the_five_briefings_and_the_invented_country_pass_the_checker(
    seeded_store, tiny_country, tmp_path
):
    from briefing_app.store import open_store

    found = []
    for name, options in SELECTIONS.items():
        document = build_document(seeded_store, Selection(**options))
        found += [f"{name}: {f.line()}" for f in check_document(document, seeded_store, "CN")]
    with open_store(tmp_path / "fd.sqlite", seed_dir=tiny_country) as store:
        for blueprint, region in (
            ("eccp-preparatory", None),
            ("delegation-brief", "bac-linh"),
            ("country-factsheet", None),
        ):
            selection = Selection(
                country="FD",
                region=region,
                sectors=("aquaculture", "lacquerware"),
                blueprint=blueprint,
            )
            document = build_document(store, selection)
            found += [f"Freedonia {blueprint}: {f.line()}" for f in check_document(document, store)]
    assert found == []


def test_the_generic_sections_no_longer_talk_about_the_tool(seeded_store, tiny_country, tmp_path):
    """What the generic sections write themselves passes on every shipped briefing."""
    from briefing_app.store import open_store

    with open_store(tmp_path / "fd.sqlite", seed_dir=tiny_country) as store:
        document = build_document(
            store, Selection(country="FD", sectors=("aquaculture",), blueprint="eccp-preparatory")
        )
        findings = [f for f in check_document(document, store) if f.rule != "tool-words"]
        assert findings == []
        # An empty section is left out with its heading: no heading directly
        # followed by one of the same or a higher level, except chapters.
        blocks = document.blocks
        for here, after in zip(blocks, blocks[1:], strict=False):
            if isinstance(here, Heading) and isinstance(after, Heading) and here.level > 1:
                assert after.level > here.level, here.label
    document = build_document(seeded_store, Selection(**SELECTIONS["Jilin"]))
    assert check_document(document, seeded_store, "CN") == []


def test_briefing_check_reports_file_place_and_rule(seeded_db_path, tmp_path, capsys):
    out = tmp_path / "brief.docx"
    status = main(
        [
            "build",
            "--db",
            str(seeded_db_path),
            "--blueprint",
            "delegation-brief",
            "--country",
            "CN",
            "--region",
            "jilin",
            "--sector",
            "human-health",
            "--format",
            "docx",
            "--output",
            str(out),
        ]
    )
    assert status == 0
    capsys.readouterr()
    assert main(["check", str(out)]) == 0
    # A sentence about the tool slipped into the file is found, with its paragraph.
    with zipfile.ZipFile(out) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    body = parts["word/document.xml"].decode()
    marker = body.rindex("<w:sectPr")
    sentence = "<w:p><w:r><w:t>The knowledge base holds no figure yet.</w:t></w:r></w:p>"
    parts["word/document.xml"] = (body[:marker] + sentence + body[marker:]).encode()
    bad = tmp_path / "bad.docx"
    with zipfile.ZipFile(bad, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert main(["check", str(bad)]) == 1
    captured = capsys.readouterr()
    printed = captured.out
    assert f"{bad}: paragraph" in printed, captured.err and "[tool-words]" in printed
    assert main(["check", str(tmp_path / "missing.pdf")]) != 0


def test_headings_keep_with_next_in_word_and_never_end_a_pdf_page(tmp_path):
    from briefing_app.render.docx_backend import render_docx
    from briefing_app.render.pdf_backend import render_pdf

    filler = "Clusters gather firms, research centres and training bodies in one place. " * 6
    blocks = []
    for n in range(1, 40):
        blocks.append(Heading(2, f"Part {n}", f"1.{n}"))
        blocks.extend(Paragraph((Text(filler[: 90 * (n % 7 + 1)]),)) for _ in range(n % 3 + 1))
    document = Document(Metadata(title="Layout test"), tuple(blocks))
    docx_path, pdf_path = tmp_path / "t.docx", tmp_path / "t.pdf"
    render_docx(document, docx_path)
    with zipfile.ZipFile(docx_path) as archive:
        xml = archive.read("word/document.xml").decode()
    assert xml.count("<w:keepNext/>") >= 39
    render_pdf(document, pdf_path)
    reader = PdfReader(str(pdf_path))
    assert len(reader.pages) > 3
    for page in reader.pages[1:]:
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        body = [line for line in lines if not line.startswith(("Layout test", "Page "))]
        assert body and not body[-1].startswith("1."), body[-1]


def test_addresses_break_after_slash_or_dot_only():
    text = with_breaks("See https://www.eccp.eu/content/ECCP.html now", "|")
    assert text == "See https://www.|eccp.|eu/|content/|ECCP.|html now"
    assert (
        with_breaks("No address here. Nor here/there.", "|") == "No address here. Nor here/there."
    )


def test_briefing_check_refuses_what_it_cannot_read(tmp_path, capsys):
    text = tmp_path / "notes.txt"
    text.write_text("The knowledge base records nothing.", encoding="utf-8")
    fake_docx, fake_pdf = tmp_path / "fake.docx", tmp_path / "fake.pdf"
    fake_docx.write_text("not a zip", encoding="utf-8")
    fake_pdf.write_bytes(b"%PDF-1.4 truncated")
    cases = [
        (tmp_path / "missing.docx", "no such file"),
        (text, "only .docx and .pdf"),
        (fake_docx, "as a Word file"),
        (fake_pdf, "as a PDF file"),
    ]
    for path, message in cases:
        assert main(["check", str(path)]) == 1
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err, err


def test_a_section_with_nothing_to_say_is_left_out_with_its_heading(tmp_path, tiny_country):
    from briefing_app.store import open_store

    sections, blueprints = tmp_path / "sections", tmp_path / "blueprints"
    sections.mkdir()
    blueprints.mkdir()
    bodies = {
        "intro": "{{ country.name }} in brief.",
        "silent": "{% if kb.clusters(kind='sez') %}Zones.{% endif %}",
        "parent": "",
        "child": "{% for c in kb.clusters() %}{{ c.name }}. {% endfor %}",
        "lonely": "",
        "closing": "The end.",
    }
    for key, body in bodies.items():
        (sections / f"{key}.md").write_text(
            f"---\nkey: {key}\ntitle: {key.capitalize()}\n---\n{body}\n", encoding="utf-8"
        )
    (blueprints / "tiny.yaml").write_text(
        "slug: tiny\nname: Tiny\noutline:\n"
        "  - {section: intro, level: 1}\n  - {section: silent, level: 1}\n"
        "  - {section: parent, level: 1}\n  - {section: child, level: 2}\n"
        "  - {section: lonely, level: 1}\n  - {section: closing, level: 1}\n",
        encoding="utf-8",
    )
    with open_store(
        tmp_path / "t.sqlite",
        seed_dir=tiny_country,
        sections_dir=sections,
        blueprints_dir=blueprints,
    ) as store:
        document = build_document(store, Selection(country="FD", blueprint="tiny"))
    labels = [b.label for b in document.headings()]
    # "silent" and "lonely" print nothing; "parent" stays for the child that does.
    assert labels == ["1 Intro", "2 Parent", "2.1 Child", "3 Closing"]


def test_a_chart_shrinks_into_the_room_left_or_moves_on_whole():
    from reportlab.graphics.shapes import Drawing, Rect
    from reportlab.platypus import Spacer

    from briefing_app.render.pdf_fitting import MIN_SCALE, FittingPicture

    drawing = Drawing(400, 200)
    drawing.add(Rect(0, 0, 400, 200))
    caption = Spacer(1, 20)
    picture = FittingPicture(drawing, [caption])
    assert picture.wrap(450, 600) == (400, 200)  # room enough: full size
    width, height = picture.wrap(450, 170)  # 150 left for the picture: 75%
    assert height == pytest.approx(150) and picture.scale == pytest.approx(0.75)
    assert width == pytest.approx(300)
    _w, height = picture.wrap(450, 20 + 200 * MIN_SCALE - 10)  # too little: next page
    assert height > 20 + 200 * MIN_SCALE - 10 and picture.split(450, 100) == []


def test_word_addresses_carry_break_opportunities(tmp_path):
    from briefing_app.render.docx_backend import render_docx

    url = "https://www.european-cluster-collaboration.eu/content/china"
    document = Document(
        Metadata(title="Links"),
        (Heading(1, "Sources", "1"), Paragraph((Text("See "), Text(url, link=url)))),
    )
    render_docx(document, tmp_path / "links.docx")
    with zipfile.ZipFile(tmp_path / "links.docx") as archive:
        xml = archive.read("word/document.xml").decode()
        rels = archive.read("word/_rels/document.xml.rels").decode()
    assert "eu/\u200bcontent/\u200bchina" in xml and "european-cluster-collaboration" in xml
    assert url in rels  # the link target itself is untouched


def test_briefing_check_builds_a_selection_in_memory(seeded_db_path, capsys):
    args = ["check", "--db", str(seeded_db_path), "--blueprint", "delegation-brief"]
    status = main([*args, "--country", "CN", "--region", "jilin", "--sector", "human-health"])
    captured = capsys.readouterr()
    assert status == 0, captured.out
    assert "no reader-text findings" in captured.err
