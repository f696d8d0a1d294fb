"""Markdown (as rendered from a template) -> blocks of the document model."""

from __future__ import annotations

import pytest

from briefing_app.assembly.markdown_model import (
    MarkdownConverter,
    MarkdownError,
    markdown_to_blocks,
)
from briefing_app.assembly.placeholders import Citation, Numbering, Placeholders
from briefing_app.document import (
    BulletList,
    ChartSpec,
    Figure,
    FootnoteRef,
    Heading,
    LineBreak,
    Paragraph,
    Series,
    Table,
    Text,
)


def test_paragraph_with_emphasis_link_and_code():
    [para] = markdown_to_blocks("Plain *soft* **strong** `code` [site](https://example.org) end.")
    assert isinstance(para, Paragraph) and para.style == "body"
    assert Text("soft", italic=True) in para.runs
    assert Text("strong", bold=True) in para.runs
    assert Text("code", code=True) in para.runs
    assert Text("site", link="https://example.org") in para.runs
    assert para.plain == "Plain soft strong code site end."


def test_hard_break_and_soft_break():
    [para] = markdown_to_blocks("one\\\ntwo\nthree")
    assert LineBreak() in para.runs
    assert para.plain == "one\ntwo three"


def test_nested_and_ordered_lists():
    [outer] = markdown_to_blocks("1. first\n   - inner a\n   - inner b\n2. second\n")
    assert isinstance(outer, BulletList) and outer.ordered
    assert [i.runs[0].text for i in outer.items] == ["first", "second"]
    inner = outer.items[0].children
    assert inner is not None and not inner.ordered
    assert [i.runs[0].text for i in inner.items] == ["inner a", "inner b"]


def test_gfm_table_with_caption_line_after():
    numbering = Numbering()
    blocks = markdown_to_blocks(
        "| A | B |\n|---|---|\n| 1 | *two* |\n\nTable: Small numbers\n", numbering=numbering
    )
    [table] = blocks
    assert isinstance(table, Table)
    assert table.header_rows == (("A", "B"),)
    assert table.rows[0][0] == "1"
    assert table.rows[0][1] == (Text("two", italic=True),)
    assert table.caption == "Small numbers" and table.number == 1


def test_gfm_table_with_caption_line_before_and_uncaptioned_table():
    numbering = Numbering()
    text = "Table: First\n\n| A |\n|---|\n| 1 |\n\n| B |\n|---|\n| 2 |\n"
    first, second = markdown_to_blocks(text, numbering=numbering)
    assert (first.caption, first.number) == ("First", 1)
    assert (second.caption, second.number) == ("", None)


def test_markdown_footnotes_become_document_footnotes():
    numbering = Numbering()
    [para] = markdown_to_blocks(
        "Claim[^a] and another[^b].\n\n[^a]: First **note**.\n[^b]: Second.\n", numbering=numbering
    )
    refs = [r for r in para.runs if isinstance(r, FootnoteRef)]
    assert refs == [FootnoteRef(1), FootnoteRef(2)]
    assert numbering.footnotes[0].runs == (Text("First "), Text("note", bold=True), Text("."))
    assert numbering.footnotes[1].runs == (Text("Second."),)


def test_block_quote_is_a_quote_paragraph():
    [para] = markdown_to_blocks("> Wise words.")
    assert para.style == "quote" and para.plain == "Wise words."


def test_raw_html_is_kept_as_literal_text():
    blocks = markdown_to_blocks("<script>alert(1)</script>\n\nInline <b>bold</b> tag.")
    texts = [b.plain for b in blocks]
    assert texts == ["<script>alert(1)</script>", "Inline <b>bold</b> tag."]
    assert all(not r.bold for b in blocks for r in b.runs)


def test_body_headings_sit_one_level_below_the_slot():
    blocks = markdown_to_blocks("### Sub\n\ntext\n\n#### Deeper\n", base_level=2)
    headings = [b for b in blocks if isinstance(b, Heading)]
    assert [(h.level, h.text, h.number) for h in headings] == [
        (3, "Sub", None),
        (4, "Deeper", None),
    ]
    assert headings[0].anchor == "sub"


def test_markers_become_tables_figures_and_footnotes_in_reading_order():
    placeholders, numbering = Placeholders(), Numbering()
    late_cite = placeholders.add(Citation((Text("Second source"),)))
    early_cite = placeholders.add(Citation((Text("First source"),)))
    table = placeholders.add(Table((("H",),), (("x",),), caption="T"))
    figure = placeholders.add(Figure("F", chart=ChartSpec("bar", ("a",), (Series("s", (1.0,)),))))
    text = f"Before{early_cite} words{late_cite}.\n{table}\nafter\n\n{figure}\n"
    blocks = MarkdownConverter(placeholders, numbering).convert(text)
    kinds = [type(b).__name__ for b in blocks]
    assert kinds == ["Paragraph", "Table", "Paragraph", "Figure"]
    assert blocks[1].number == 1 and blocks[3].number == 1
    assert [f.runs[0].text for f in numbering.footnotes] == ["First source", "Second source"]
    assert blocks[2].plain == "after"


def test_table_marker_inside_a_list_is_refused():
    placeholders = Placeholders()
    table = placeholders.add(Table((("H",),), ()))
    with pytest.raises(MarkdownError):
        MarkdownConverter(placeholders, Numbering()).convert(f"- item {table}\n")


def test_fenced_code_keeps_its_lines():
    [para] = markdown_to_blocks("```\na = 1\nb = 2\n```\n")
    assert para.runs == (Text("a = 1", code=True), LineBreak(), Text("b = 2", code=True))


def test_text_converted_again_gives_the_same_blocks_with_its_own_numbers():
    """Parsed text is kept between conversions; each conversion still numbers
    its own footnotes and tables, and nothing of one leaks into the next."""
    text = (
        "## Figures\n\nClaim[^a].\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\nTable: Two cells\n\n"
        "[^a]: The note.\n"
    )
    first, second = Numbering(), Numbering()
    second.number_table(Table((("x",),), (("y",),), caption="An earlier table"))
    once = markdown_to_blocks(text, numbering=first)
    twice = markdown_to_blocks(text, numbering=second)
    assert markdown_to_blocks(text, numbering=Numbering()) == once
    tables = [b for b in twice if isinstance(b, Table)]
    assert [t.number for t in tables] == [2]  # numbered after the earlier one
    assert len(first.footnotes) == len(second.footnotes) == 1


def test_long_texts_are_parsed_each_time_and_not_kept(monkeypatch):
    from briefing_app.assembly import markdown_tokens

    monkeypatch.setattr(markdown_tokens, "KEPT_TEXT_CHARS", 40)
    markdown_tokens._kept.cache_clear()
    short, long = "A *short* text.", "- item\n" * 20
    for text in (short, long, short, long):
        markdown_to_blocks(text, numbering=Numbering())
    assert markdown_tokens._kept.cache_info().currsize == 1  # the short one only
    assert markdown_tokens._kept.cache_info().hits == 1


def test_tokens_read_back_from_disk_give_the_same_blocks(tmp_path, monkeypatch):
    """A new process reads a text's tokens from the cache folder, without
    markdown-it; the blocks are those of a fresh parse, for every construct."""
    from briefing_app.assembly import markdown_tokens

    monkeypatch.setenv("BRIEFING_CACHE", str(tmp_path))
    monkeypatch.setattr(markdown_tokens, "_ON_DISK", [True])  # as a command-line build
    text = (
        "## Heading *emphasis*\n\nA paragraph with **bold**, `code`, a [link](https://e.eu) "
        "and a note.[^1]\n\n- one\n- two with *it*\n  - nested\n\n1. first\n2. second\n\n"
        "> quoted text\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nTable: A caption\n\n"
        "Line one  \nline two, ~~struck~~ <b>raw</b>\n\n[^1]: The note, with *style*.\n"
    )
    markdown_tokens._kept.cache_clear()
    fresh = markdown_to_blocks(text, numbering=Numbering())
    assert list(tmp_path.glob("markdown-tokens/*/*")), "the tokens were kept on disk"
    markdown_tokens._kept.cache_clear()  # as a new process: memory empty, disk kept
    tokens = markdown_tokens.parsed(text)
    assert all(isinstance(t, markdown_tokens.KeptToken) for t in tokens)
    assert markdown_to_blocks(text, numbering=Numbering()) == fresh
    (kept,) = tmp_path.glob("markdown-tokens/*/*")
    kept.write_bytes(b"damaged")
    markdown_tokens._kept.cache_clear()
    assert markdown_to_blocks(text, numbering=Numbering()) == fresh  # parsed again


def test_kept_tokens_carry_the_marker_key_of_the_process_that_reads_them(tmp_path, monkeypatch):
    """Helper markers hold a key drawn per process; a text is kept under a
    shared key, so the next process (another key) finds it, with its own key
    back in the tokens; a text holding the shared key itself is never kept."""
    from briefing_app.assembly import markdown_tokens, placeholders

    monkeypatch.setenv("BRIEFING_CACHE", str(tmp_path))
    monkeypatch.setattr(markdown_tokens, "_ON_DISK", [True])  # as a command-line build
    first, second = "\ue020" * 8, "\ue030" * 8
    text = "Intro {key} *and* more.\n\n| a |\n|---|\n| {key} |\n"
    monkeypatch.setattr(markdown_tokens, "process_key", lambda: first)
    markdown_tokens._kept.cache_clear()
    written = markdown_tokens.parsed(text.format(key=first))
    monkeypatch.setattr(markdown_tokens, "process_key", lambda: second)
    markdown_tokens._kept.cache_clear()
    read = markdown_tokens.parsed(text.format(key=second))
    assert all(isinstance(t, markdown_tokens.KeptToken) for t in read)

    def contents(tokens, swap=("", "")):
        return [
            (t.type, t.content.replace(*swap), contents(t.children or (), swap)) for t in tokens
        ]

    assert contents(read) == contents(written, (first, second))
    every_text = "".join(t.content for t in read)
    assert second in every_text and first not in every_text

    holding_shared = f"A text with {placeholders.SHARED_KEY} in it."
    markdown_tokens._kept.cache_clear()
    before = set(tmp_path.rglob("*"))
    markdown_tokens.parsed(holding_shared)
    assert set(tmp_path.rglob("*")) == before  # parsed, not kept


def test_a_window_keeps_tokens_in_memory_only(tmp_path, monkeypatch):
    """Without keep_on_disk (the window's process), previews leave no files."""
    from briefing_app.assembly import markdown_tokens

    monkeypatch.setenv("BRIEFING_CACHE", str(tmp_path))
    monkeypatch.setattr(markdown_tokens, "_ON_DISK", [False])
    markdown_tokens._kept.cache_clear()
    for n in range(3):
        markdown_to_blocks(f"A preview, *edit {n}*.", numbering=Numbering())
    assert not list(tmp_path.rglob("*.*")) and not [p for p in tmp_path.rglob("*") if p.is_file()]
