"""Parsed paragraph markup kept on disk for the next process (issue 16):
it gives exactly what ReportLab's parser gives, and never a stale entry."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.platypus import Paragraph

from briefing_app.render import pdf_parsed_cache
from briefing_app.render.pdf_fonts import register_fonts
from briefing_app.render.pdf_styles import _make_styles
from briefing_app.render.theme import load_theme

MARKUP = [
    "Plain body text with no tags at all.",
    'Text with <b>bold</b>, <i>italic</i> and a <a href="https://example.org/x">link</a>.',
    '<font name="BB0-cjk">杭州</font> Hangzhou, <super>12</super> &amp; more',
    '<a name="fn-3"/><super>3</super>\u2002A note: <i>Title</i>, 2023.',
    'A mark<onDraw name="briefing-footnote" label="7"/> inside.',
]


@pytest.fixture
def cache_root(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("BRIEFING_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _styles(theme=None):
    """A fresh set of styles, as a new process makes (nothing in memory)."""
    theme = theme or load_theme()
    return _make_styles(theme, register_fonts(theme))


def _pieces(paragraph) -> tuple:
    """Every value of the parsed pieces, their types and which are shared
    (strings compared by value: a string read from disk is another object)."""
    return (
        pdf_parsed_cache.encode((paragraph.frags, paragraph.bulletText)),
        pdf_parsed_cache.style_print(paragraph.style),
    )


@pytest.mark.parametrize("markup", MARKUP)
def test_a_kept_paragraph_is_what_the_parser_gives(cache_root: Path, markup: str) -> None:
    first = _styles()
    parsed = first.paragraph_of(markup, first["body"], bullet="•")
    first.keep_parsed()
    assert list((cache_root / "pdf-parsed").rglob("*"))
    assert first._kept._used == {}  # a long-lived process does not pile entries up
    later = _styles()
    kept_entry = later._kept.get(later._kept.entry_key(markup, later["body"], "•"))
    assert kept_entry is not None  # read from disk, not parsed again
    kept = later.paragraph_of(markup, later["body"], bullet="•")
    assert _pieces(kept) == _pieces(parsed)
    assert kept.wrap(300, 1000) == parsed.wrap(300, 1000)


@pytest.mark.parametrize("markup", MARKUP)
def test_kept_line_breaking_is_what_reportlab_gives(cache_root: Path, markup: str) -> None:
    """A paragraph whose markup came from disk keeps its first line
    breaking for the next process; that one gets the same lines."""
    text = " ".join([markup] * 6)  # several lines at this width
    _styles().paragraph_of(text, _styles()["body"])  # markup kept
    made = []
    for _ in range(3):  # markup found, lines kept; then both found
        styles = _styles()
        paragraph = styles.paragraph_of(text, styles["body"])
        size = paragraph.wrap(200, 1000)
        made.append((size, _lines(paragraph)))
        styles.keep_parsed()
    assert made[0] == made[1] == made[2]
    assert len(paragraph.blPara.lines) > 2


def test_words_of_a_line_breaking_are_kept_whole_and_shared(cache_root: Path) -> None:
    """The words ReportLab breaks a paragraph into (a width, then fragment and
    text pairs) are kept in their own short form; rebuilt, each word holds the
    very fragment the others of its run hold, as ReportLab made them."""
    import pickle

    from reportlab.platypus.paragraph import _HSFrag

    text = " ".join([MARKUP[1]] * 6)
    styles = _styles()
    paragraph = styles.paragraph_of(text, styles["body"])
    paragraph.wrap(200, 1000)
    words = [w for line in paragraph.blPara.lines for w in line.words]
    words = paragraph.frags if isinstance(paragraph.frags[0], _HSFrag) else words
    assert isinstance(words[0], _HSFrag)
    encoded = pdf_parsed_cache.encode(words)
    assert [item[0] for item in encoded[1]][:3] == ["H", "H", "H"]
    rebuilt = pdf_parsed_cache.decode(encoded)
    assert pickle.dumps(rebuilt) == pickle.dumps(words)
    assert [type(w) for w in rebuilt] == [type(w) for w in words]
    assert rebuilt[0][1][0] is rebuilt[1][1][0]  # one fragment for the words of a run


def _lines(paragraph) -> tuple:
    return (
        pdf_parsed_cache.encode((paragraph.blPara, paragraph.frags)),
        paragraph.width,
        paragraph.height,
        getattr(paragraph, "_width_max", None),
    )


@pytest.mark.parametrize("markup", MARKUP[:2])
def test_parts_of_a_split_paragraph_are_what_reportlab_gives(
    cache_root: Path, markup, monkeypatch
) -> None:
    """A paragraph cut at a page's foot, tried at two heights first (as a
    heading kept with it does), and its parts laid out: from the third
    process on their line breaking comes from disk, and every part is what
    ReportLab makes without any cache, cut spaces and all."""
    text = " ".join([markup] * 12)

    def parts(styles) -> list:
        paragraph = styles.paragraph_of(text, styles["body"])
        paragraph.wrap(220, 1000)
        made = []
        for height in (40, 70):  # a trial cut, then the real one
            for part in paragraph.split(220, height):
                made.append((part.wrap(220, 1000), _lines(part)))
                if len(made) == 2:  # and the rest cut again on the next page
                    rest = paragraph.split(220, height)[1]
                    rest.wrap(220, 1000)
                    made += [(p.wrap(220, 1000), _lines(p)) for p in rest.split(220, 30)]
        return made

    without = parts(_styles_without_cache())
    found = []
    for _ in range(2):  # markup kept; then lines and parts kept
        styles = _styles()
        found.append(parts(styles))
        styles.keep_parsed()
    broken = []
    real = Paragraph.breakLines
    monkeypatch.setattr(Paragraph, "breakLines", lambda p, w: broken.append(p) or real(p, w))
    found.append(parts(_styles()))  # all found: ReportLab breaks no line
    assert all(made == without for made in found)
    assert len(without) >= 6
    assert broken == []


def _styles_without_cache():
    styles = _styles()
    return dataclasses.replace(styles, _kept=None)


def test_an_edited_text_style_or_bullet_is_another_entry(cache_root: Path) -> None:
    styles = _styles()
    keeper = styles._kept
    key = keeper.entry_key(MARKUP[1], styles["body"], None)
    assert keeper.entry_key(MARKUP[1] + " ", styles["body"], None) != key
    assert keeper.entry_key(MARKUP[1], styles["list"], None) != key
    assert keeper.entry_key(MARKUP[1], styles["body"], "1.") != key
    assert keeper.entry_key(MARKUP[1], styles["body"], "") != key


def test_an_edited_theme_is_another_file(cache_root: Path) -> None:
    theme = load_theme()
    first = _styles(theme)
    first.paragraph_of(MARKUP[0], first["body"])
    first.keep_parsed()
    bigger = dataclasses.replace(theme, sizes={**theme.sizes, "body": theme.sizes["body"] + 1})
    later = _styles(bigger)
    assert later._kept._key != first._kept._key
    paragraph = later.paragraph_of(MARKUP[0], later["body"])
    assert paragraph.frags[0].fontSize == theme.sizes["body"] + 1


def test_a_damaged_file_is_parsed_again(cache_root: Path) -> None:
    first = _styles()
    parsed = first.paragraph_of(MARKUP[1], first["body"])
    first.keep_parsed()
    (kept_file,) = [p for p in (cache_root / "pdf-parsed").rglob("*") if p.is_file()]
    kept_file.write_bytes(b"\x00half a file")
    later = _styles()
    assert _pieces(later.paragraph_of(MARKUP[1], later["body"])) == _pieces(parsed)


def test_the_plain_form_refuses_what_it_cannot_rebuild() -> None:
    class Foreign:
        pass

    with pytest.raises(pdf_parsed_cache.Unsupported):
        pdf_parsed_cache.encode([Foreign()])
    shared = []
    value = [shared, shared, {"a": (1.5, None, True)}]
    rebuilt = pdf_parsed_cache.decode(pdf_parsed_cache.encode(value))
    assert rebuilt == value and rebuilt[0] is rebuilt[1]  # shared stays shared


def _pdf_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    data = re.sub(rb"/(CreationDate|ModDate) \(D:[^)]*\)", b"", data)
    return re.sub(rb"\[<[0-9a-f]{32}><[0-9a-f]{32}>\]", b"", data)


def test_whole_processes_give_the_same_file_and_see_an_edited_section(
    tmp_path: Path, monkeypatch
) -> None:
    """The China briefing with the cache off, filled, used: the same bytes
    (but dates and file id). Then a section edited in the database shows in
    the next build from the same cache."""
    from briefing_app.store import open_store
    from tests.cli_process import briefing

    db = tmp_path / "kb.sqlite"
    open_store(db).close()
    args = ["build", "--blueprint", "eccp-preparatory", "--country", "CN", "--sector", "ict"]

    def build(cache, out: Path) -> Path:
        monkeypatch.setenv("BRIEFING_CACHE", str(cache))
        done = briefing(*args, "--format", "pdf", "--output", f"{out}/", db=db, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        (pdf,) = out.glob("*.pdf")
        return pdf

    # Off; markup kept; line breaking kept too; both used.
    files = [build(c, tmp_path / f"out{n}") for n, c in enumerate(["off", *[tmp_path / "c"] * 3])]
    assert list((tmp_path / "c" / "pdf-parsed").rglob("*"))
    first = _pdf_bytes(files[0])
    assert all(_pdf_bytes(f) == first for f in files[1:])

    with open_store(db) as store:
        for section in store.sections():
            if section.slug in ("objective", "objective-cn"):
                edited = dataclasses.replace(section, body=section.body + "\n\nZebra edit here.\n")
                store.save_section(edited, section.version)
    pdf = build(tmp_path / "c", tmp_path / "edited")
    before = "".join(page.extract_text() for page in PdfReader(str(files[3])).pages)
    after = "".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    assert "Zebra edit here." not in before
    assert "Zebra edit here." in after


def test_a_value_is_kept_as_it_was_when_put(cache_root: Path) -> None:
    """Layout goes on changing what was put (ReportLab adds spaces as it cuts
    lines); the entry written when the document is done is the value as put."""
    styles = _styles()
    paragraph = styles.paragraph_of(MARKUP[1] + " once", styles["body"])
    value = (paragraph.frags, None)
    styles._kept.put("a key", value)
    as_put = pdf_parsed_cache.encode(value)
    paragraph.frags[0].text = "changed after it was put"
    styles.keep_parsed()
    assert pdf_parsed_cache.encode(_styles()._kept.get("a key")) == as_put
