"""The analysis written for China (templates/sections/china) keeps the rules
of reader text in its own sentences: no words about the tool or its data, a
footnote mark after a word or unit and never after a figure, amounts as
"EUR 222.7 billion", and only official acronyms. Each section stands in for a
generic one and applies to China only, so other countries never see it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "sections"
CHINA = sorted((TEMPLATES / "china").rglob("*.md"))
OWN = [p for p in CHINA if "sectors" not in p.relative_to(TEMPLATES / "china").parts[:-1]]
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.S)

TOOL_WORDS = re.compile(
    r"knowledge base|database|\brecorded\b|on record|not recorded|no data|this tool",
    re.I,
)
# Short forms that the model briefing coined and that are not official names.
UNOFFICIAL = (
    "PRD",
    "YRD",
    "BTH",
    "SEZ",
    "SEZs",
    "STIP",
    "STIPs",
    "HTZ",
    "HTZs",
    "FYP",
    "NEV",
    "NEVs",
    "CAI",
    "CFM",
    "ICD",
    "FTZ",
    "FTZs",
    "NIS",
    "STI",
)


def _parts(path: Path) -> tuple[dict, str]:
    match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    assert match, path.name
    return yaml.safe_load(match.group(1)), match.group(2)


def _prose(body: str, expressions: bool = True) -> str:
    """The text a reader sees, without Jinja tags and comments (and without
    the expressions that print data, unless ``expressions``)."""
    text = re.sub(r"\{%.*?%\}|\{#.*?#\}", " ", body, flags=re.S)
    return text if expressions else re.sub(r"\{\{.*?\}\}", " ", text, flags=re.S)


def test_the_china_folder_holds_the_analysis():
    keys = {_parts(p)[0]["key"] for p in OWN}
    assert keys >= {
        "economy-overview-cn",
        "opportunities-cn",
        "cluster-community-cn",
        "cluster-mapping-cn",
        "clusters-in-sectors-cn",
        "national-cluster-policy-cn",
        "conclusion-cn",
        "annex-flagships-cn",
    }


@pytest.mark.parametrize("path", OWN, ids=lambda p: p.stem)
def test_a_china_section_stands_in_for_a_generic_one_in_china_only(path: Path):
    meta, _body = _parts(path)
    assert meta["countries"] == ["CN"]
    generic = TEMPLATES.rglob(f"{meta['variant_of']}.md")
    assert any("china" not in p.parts for p in generic), meta["variant_of"]


@pytest.mark.parametrize("path", OWN, ids=lambda p: p.stem)
def test_china_prose_follows_the_reader_text_rules(path: Path):
    _meta, body = _parts(path)
    prose = _prose(body)
    assert TOOL_WORDS.findall(prose) == []
    # A footnote mark straight after a figure reads as an exponent.
    assert re.findall(r".{30}\d\)?\{\{ cite\(", body) == []
    # Amounts: currency code, amount, scale ("EUR 222.7 billion").
    assert re.findall(r"[€$¥]|\d[\d,.]* ?(?:EUR|USD|CNY|RMB)\b", prose) == []
    for amount in re.findall(r"\b(?:EUR|USD|CNY) [\d.,]+(?: \w+)?", prose):
        assert re.fullmatch(r"(EUR|USD|CNY) [\d.,]+ (million|billion|trillion)", amount), amount
    words = set(re.findall(r"\b[A-Z]{2,}s?\b", prose))
    assert words.isdisjoint(UNOFFICIAL), words & set(UNOFFICIAL)


@pytest.mark.parametrize("path", OWN, ids=lambda p: p.stem)
def test_china_prose_cites_its_figures(path: Path):
    """Every paragraph of prose that states a figure carries a footnote."""
    _meta, body = _parts(path)
    for paragraph in re.split(r"\n\s*\n", body):
        text = paragraph.strip()
        if text.startswith(("{", "-", "#", "|")) or len(text.split()) < 25:
            continue
        if re.search(r"\d", _prose(text, expressions=False).replace("Made in China 2025", "")):
            assert "cite(" in text, text[:80]
