"""The shipped section library and blueprints are well formed.

These checks read the files in ``templates/`` directly, so a broken section is
caught before any store or engine loads it: front matter, Jinja syntax,
blueprint references, and the rule that generic templates never name a
country (a section scoped to countries, ``countries: [CN]``, is the analysis
written for them and may).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from jinja2.sandbox import SandboxedEnvironment

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
SECTIONS = sorted((TEMPLATES / "sections").rglob("*.md"))
BLUEPRINTS = sorted((TEMPLATES / "blueprints").glob("*.yaml"))

FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.S)
ALLOWED_KEYS = {
    "key",
    "title",
    "countries",
    "sectors",
    "regions",
    "partnerships",
    "variant_of",
    "needs",
}
NEEDS = {"profiles", "region", "sectors", "partnerships", "clusters", "policies"}
NEEDS |= {"organisations", "indicators"}
ISO_CODE = re.compile(r"^[A-Z]{2}$")
REPEATS = {"sectors", "partnerships", "regions"}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# Names that would tie a template to one country. Sections must reach the
# selected country through the context and the knowledge base instead.
COUNTRY_WORDS = [
    "China",
    "Chinese",
    "Beijing",
    "Shanghai",
    "Guangzhou",
    "Guangdong",
    "Shenzhen",
    "Chongqing",
    "Tianjin",
    "Hebei",
    "Zhejiang",
    "Jiangsu",
    "Kunshan",
    "Suzhou",
    "Wuhan",
    "Chengdu",
    "Hangzhou",
    "Pearl River",
    "Yangtze",
    "Greater Bay",
    "TORCH",
    "Made in China",
    "Healthy China",
    "Five-Year Plan",
    "NDRC",
    "MIIT",
    "MoST",
    "Zhongguancun",
    "Zhangjiang",
    "Renminbi",
    "RMB",
    "yuan",
]


def _split(path: Path) -> tuple[dict, str]:
    match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    assert match, f"{path.name}: no '---' front matter block at the top"
    meta = yaml.safe_load(match.group(1))
    assert isinstance(meta, dict), f"{path.name}: front matter is not a mapping"
    return meta, match.group(2)


def _library() -> dict[str, tuple[Path, dict, str]]:
    found: dict[str, tuple[Path, dict, str]] = {}
    for path in SECTIONS:
        meta, body = _split(path)
        assert meta["key"] not in found, f"duplicate key {meta['key']}"
        found[meta["key"]] = (path, meta, body)
    return found


def test_library_is_not_empty():
    assert len(SECTIONS) >= 20
    assert {p.stem for p in BLUEPRINTS} >= {
        "eccp-preparatory",
        "delegation-brief",
        "country-factsheet",
    }


@pytest.mark.parametrize("path", SECTIONS, ids=lambda p: p.stem)
def test_section_front_matter(path: Path):
    meta, body = _split(path)
    assert set(meta) <= ALLOWED_KEYS, f"unknown keys {set(meta) - ALLOWED_KEYS}"
    assert meta["key"] == path.stem
    assert SLUG.match(meta["key"])
    assert isinstance(meta["title"], str) and meta["title"].strip()
    for field in ("sectors", "regions", "partnerships"):
        value = meta.get(field) or []
        assert isinstance(value, list) and all(SLUG.match(v) for v in value), field
    countries = meta.get("countries") or []
    assert isinstance(countries, list) and all(ISO_CODE.match(c) for c in countries), (
        "countries: a list of ISO codes such as [CN]"
    )
    if countries:
        assert meta.get("variant_of"), "a section for a country stands in for a generic one"
    needs = meta.get("needs") or []
    assert isinstance(needs, list) and set(needs) <= NEEDS, f"needs: a list of {sorted(NEEDS)}"
    assert body.strip(), "empty body"
    # The engine makes the slot heading from the title; inside the body only
    # sub-headings (### and deeper) belong, which become unnumbered headings.
    top_level = [line for line in body.splitlines() if re.match(r"#{1,2}\s", line)]
    assert top_level == [], "the body repeats a chapter-level heading"


@pytest.mark.parametrize("path", SECTIONS, ids=lambda p: p.stem)
def test_section_jinja_parses_in_the_sandbox(path: Path):
    meta, body = _split(path)
    env = SandboxedEnvironment()
    env.parse(body)
    env.parse(meta["title"])


@pytest.mark.parametrize("path", SECTIONS, ids=lambda p: p.stem)
def test_section_compiles_in_the_application_sandbox(path: Path):
    """The engine's sandbox is immutable and refuses includes: check with it."""
    sandbox_module = pytest.importorskip("briefing_app.assembly.sandbox")
    meta, body = _split(path)
    helpers = pytest.importorskip("briefing_app.assembly.helpers")
    sandbox = sandbox_module.TemplateSandbox(filters=helpers.Helpers.filters())
    sandbox.compile_check(body, path.stem)
    # Lists cannot be changed in an ImmutableSandboxedEnvironment.
    assert not re.search(r"\.(append|extend|insert|update|pop)\(", body)


def _generic(path: Path) -> bool:
    """A blueprint, or a section not scoped to countries."""
    return path.suffix != ".md" or not _split(path)[0].get("countries")


@pytest.mark.parametrize(
    "path", [p for p in SECTIONS + BLUEPRINTS if _generic(p)], ids=lambda p: p.stem
)
def test_section_names_no_country(path: Path):
    text = path.read_text(encoding="utf-8")
    hits = [w for w in COUNTRY_WORDS if re.search(rf"\b{re.escape(w)}\b", text)]
    assert hits == []
    assert not re.search(r"[\u3400-\u9fff]", text), "CJK characters in a template"


def test_variants_point_to_existing_generic_sections():
    library = _library()
    for key, (_, meta, _) in library.items():
        if meta.get("variant_of"):
            assert meta["variant_of"] in library, f"{key}: variant of unknown {meta['variant_of']}"
            assert (
                meta.get("countries")
                or meta.get("sectors")
                or meta.get("regions")
                or meta.get("partnerships")
            ), (
                f"{key}: a variant needs an applicability, or it would always replace its generic section"
            )


@pytest.mark.parametrize("path", BLUEPRINTS, ids=lambda p: p.stem)
def test_blueprint_references_existing_sections(path: Path):
    library = _library()
    blueprint = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert blueprint["slug"] == path.stem
    assert blueprint["name"] and blueprint["description"]
    env = SandboxedEnvironment()
    for value in _strings(blueprint.get("cover", {})):
        env.parse(value)
    outline = blueprint["outline"]
    assert outline and outline[0]["level"] == 1
    previous = 0
    for slot in outline:
        assert slot["section"] in library, f"unknown section {slot['section']}"
        assert 1 <= slot["level"] <= previous + 1, f"{slot['section']}: level jumps"
        assert slot.get("repeat") in (None, *REPEATS)
        previous = slot["level"]
        if library[slot["section"]][1].get("variant_of"):
            pytest.fail(f"{slot['section']} is a variant: name its generic section in the outline")


def test_eccp_blueprint_mirrors_the_model_briefing():
    blueprint = yaml.safe_load(
        (TEMPLATES / "blueprints" / "eccp-preparatory.yaml").read_text("utf-8")
    )
    chapters = [
        s["section"] for s in blueprint["outline"] if s["level"] == 1 and not s.get("annex")
    ]
    assert chapters == [
        "objective",
        "economy",
        "cluster-community",
        "cluster-policies",
        "conclusion",
    ]
    annexes = [s["section"] for s in blueprint["outline"] if s.get("annex")]
    assert annexes[-1] == "annex-bibliography", (
        "the bibliography must come last to see every citation"
    )
    repeated = {s["section"] for s in blueprint["outline"] if s.get("repeat") == "sectors"}
    assert repeated == {"sector-strength", "sector-policies"}
    assert blueprint["cover"]["title"] == "Preparatory Briefing on {{ area_name }}"


def test_in_depth_sector_variants_exist():
    library = _library()
    variants = {
        meta["sectors"][0]
        for _, meta, _ in library.values()
        if meta.get("variant_of") == "sector-strength" and not meta.get("countries")
    }
    assert variants >= {"automotive", "human-health", "renewable-energy", "ict"}


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
