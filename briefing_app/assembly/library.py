"""The section library as assembly sees it: templates plus applicability.

Sections come from the store, and the stored record is what counts: its
title, body and applicability lists, and the front matter at the top of its
body when it has one (``variant_of`` of a section made in the section editor
lives there). The store keeps the shipped files without their front matter,
so a record that has a shipped default (``shipped_body``) takes its
``variant_of`` and ``countries`` from that file unless its own body names them.

``countries`` (ISO codes) makes a section *scoped*: the analysis an expert
wrote for one country. A scoped variant takes its generic section's place
only when the selection's country is one of them, and it wins over a
variant that names no country (see :func:`most_specific`).

Also here, without Qt, for every list that shows templates: the readable
form of a Jinja title, and the problems of a library's variants.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from briefing_app import paths
from briefing_app.errors import BriefingError, TemplateError, unknown_message
from briefing_app.yaml_text import load_yaml


@dataclass(frozen=True)
class SectionTemplate:
    """A section ready to render; ``first_line`` is the body's line in its file."""

    key: str
    title: str
    body: str
    sectors: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    partnerships: tuple[str, ...] = ()
    variant_of: str = ""
    first_line: int = 1
    countries: tuple[str, ...] = ()  # ISO codes, upper case; () for every country
    needs: tuple[str, ...] = ()  # what it cannot do without (assembly.needs.NEEDS)


def split_front_matter(text: str, name: str = "section") -> tuple[dict[str, Any], str, int]:
    """(front matter, body, line of the body's first line) of a section text."""
    text = text.removeprefix("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return {}, text, 1
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            try:
                meta = load_yaml("".join(lines[1:end])) or {}
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                line = mark.line + 2 if mark is not None else None
                raise TemplateError(
                    name, line, None, f"front matter is not valid YAML: {exc}"
                ) from None
            if not isinstance(meta, dict):
                raise TemplateError(name, 2, None, "front matter must be 'key: value' lines")
            return meta, "".join(lines[end + 1 :]), end + 2
    raise TemplateError(name, 1, None, "front matter has no closing '---' line")


FRONT_MATTER_KEYS = (
    "key",
    "title",
    "countries",
    "sectors",
    "regions",
    "partnerships",
    "variant_of",
    "needs",
)


def template_from_text(text: str, name: str) -> SectionTemplate:
    """A section file's text (front matter + body) as a template.

    The section editor checks a stored text with its title field put in a
    front matter above it; a front matter the stored text opens with is read
    too (its keys win), as the build reads it from the record.
    """
    meta, body, first_line = split_front_matter(text, name)
    if meta and _opens_with_front_matter(body):
        try:
            own, body, line = split_front_matter(body, name)
        except TemplateError as error:
            shifted = None if error.line is None else error.line + first_line - 1
            raise TemplateError(name, shifted, error.column, error.message) from None
        meta, first_line = {**meta, **own}, first_line + line - 1
    key = str(meta.get("key") or name)
    return SectionTemplate(
        key=key,
        title=str(meta.get("title") or key.replace("-", " ").capitalize()),
        body=body,
        sectors=_slugs(meta.get("sectors")),
        regions=_slugs(meta.get("regions")),
        partnerships=_slugs(meta.get("partnerships")),
        variant_of=str(meta.get("variant_of") or ""),
        first_line=first_line,
        countries=_codes(meta.get("countries"), name),
        needs=_needs(meta.get("needs"), name),
    )


def template_from_record(
    section: Any,
    variants: dict[str, str] | None = None,
    countries: dict[str, tuple[str, ...]] | None = None,
    needs: dict[str, tuple[str, ...]] | None = None,
) -> SectionTemplate:
    """A store Section record as a template.

    ``variant_of`` and ``countries`` are the ones in the front matter the
    stored body opens with; a record with no such line but with a shipped
    default takes the shipped file's (``variants`` and ``countries``,
    :func:`shipped_variants` and :func:`shipped_countries` when not given).
    """
    meta, body, first_line = ({}, section.body, 1)
    if _opens_with_front_matter(section.body):
        meta, body, first_line = split_front_matter(section.body, section.slug)
    if "variant_of" in meta:
        variant_of = str(meta["variant_of"] or "")
    elif section.shipped_body:
        known = variants if variants is not None else shipped_variants()
        variant_of = known.get(section.slug, "")
    else:
        variant_of = ""
    if "countries" in meta:
        scope = _codes(meta["countries"], section.slug)
    elif section.shipped_body:
        known_scopes = countries if countries is not None else shipped_countries()
        scope = tuple(known_scopes.get(section.slug, ()))
    else:
        scope = ()
    if "needs" in meta:
        wanted = _needs(meta["needs"], section.slug)
    elif section.shipped_body:
        wanted = tuple((needs if needs is not None else shipped_needs()).get(section.slug, ()))
    else:
        wanted = ()
    return SectionTemplate(
        key=section.slug,
        title=str(meta.get("title") or section.title),
        body=body,
        sectors=_slugs(meta.get("sectors")) or tuple(section.sectors),
        regions=_slugs(meta.get("regions")) or tuple(section.regions),
        partnerships=_slugs(meta.get("partnerships")) or tuple(section.partnerships),
        variant_of=variant_of,
        first_line=first_line,
        countries=scope,
        needs=wanted,
    )


def section_library(records: list[Any]) -> dict[str, SectionTemplate]:
    """Key -> template for stored section records, in their order."""
    variants, countries, needs = _shipped_front_matter(None)
    return {
        record.slug: _template_of(
            record,
            variants.get(record.slug, ""),
            countries.get(record.slug, ()),
            needs.get(record.slug, ()),
        )
        for record in records
    }


@functools.lru_cache(maxsize=4096)
def _template_of(
    record: Any,
    shipped_variant_of: str,
    shipped_scope: tuple[str, ...] = (),
    shipped_needs: tuple[str, ...] = (),
) -> SectionTemplate:
    """:func:`template_from_record`, kept per (record, shipped ``variant_of``
    and ``countries``).

    The store hands out the same frozen record until the section changes,
    and every preview build reads the whole library: 1,000 sections need
    not have their front matter read again after each click.
    """
    return template_from_record(
        record,
        {record.slug: shipped_variant_of},
        {record.slug: shipped_scope},
        {record.slug: shipped_needs},
    )


def _opens_with_front_matter(body: str) -> bool:
    return body.lstrip("\ufeff").startswith("---")


# -- titles in lists ---------------------------------------------------------------

_JINJA_EXPRESSION = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_JINJA_TAG = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.DOTALL)
# a string literal, a filter (dropped) or a variable with its attributes
_TOKEN = re.compile(r"'([^']*)'|\"([^\"]*)\"|\|\s*\w+|([A-Za-z_]\w*)(?:\s*\.\s*\w+)*")
_NOT_NAMES = {"else", "and", "or", "not", "in", "is", "true", "false", "none"}


def readable_title(title: str) -> str:
    """A template title as words, for a list with no selection to render it:
    "{{ sector.name }} strengths" reads "‹sector› strengths", "{{ area_name }}"
    reads "‹area›", "{{ 'EU-' ~ country.name }}" reads "EU-‹country›" (the
    first branch of an ``if``); ``{% ... %}`` tags and comments are left out."""

    def words(match: re.Match) -> str:
        parts: list[str] = []
        for token in _TOKEN.finditer(match.group(1)):
            literal = token.group(1) if token.group(1) is not None else token.group(2)
            name = token.group(3)
            if literal is not None:
                parts.append(literal)
            elif name == "if":
                break
            elif name and name.lower() not in _NOT_NAMES:
                parts.append(f"‹{name.removesuffix('_name').replace('_', ' ')}›")
        return "".join(parts) or "‹value›"

    text = _JINJA_TAG.sub(" ", _JINJA_EXPRESSION.sub(words, title))
    return " ".join(text.split())


def section_label(title: str, key: str) -> str:
    """ "‹sector› policies and programmes   (sector-policies)" for a list of sections."""
    return f"{readable_title(title) or key}   ({key})"


# -- variants ----------------------------------------------------------------------

Scope = Callable[[str], set[str]]


def variant_base_problem(template: SectionTemplate, library: dict[str, SectionTemplate]) -> str:
    """Why ``template``'s ``variant_of`` names no usable generic section ("" when it does)."""
    base_key = template.variant_of
    if not base_key:
        return ""
    if base_key == template.key:
        return "variant_of names the section itself; name the generic section it stands in for"
    base = library.get(base_key)
    if base is None:
        return (
            "variant_of names a section the library does not have: "
            f"{unknown_message('section', base_key, library)}"
        )
    if base.variant_of:
        return (
            f"variant_of names {base_key!r}, which is itself a variant of {base.variant_of!r}; "
            f"name the generic section instead (variant_of: {base.variant_of})"
        )
    return ""


@dataclass(frozen=True)
class LibraryProblem:
    """What is wrong with one section of the library."""

    summary: str  # a few words for a list row
    message: str  # what is wrong and how to put it right


def variant_problems(
    library: dict[str, SectionTemplate],
    sector_scope: Scope | None = None,
    region_scope: Scope | None = None,
) -> dict[str, LibraryProblem]:
    """Key -> what is wrong with a variant: its ``variant_of`` (see
    :func:`variant_base_problem`), or another variant of the same section that
    applies to the same sector, region or partnership, so that a briefing
    cannot tell which one to use. ``sector_scope`` and ``region_scope`` give a
    slug's sub-sectors and sub-regions (the store's; without them, the slug)."""
    problems: dict[str, LibraryProblem] = {}
    by_base: dict[str, list[SectionTemplate]] = {}
    for template in library.values():
        problem = variant_base_problem(template, library)
        if problem:
            summary = (
                "variant_of: no such section"
                if template.variant_of not in library
                else "variant_of: not a generic section"
            )
            problems[template.key] = LibraryProblem(summary, problem)
        elif template.variant_of:
            by_base.setdefault(template.variant_of, []).append(template)
    sectors = _memo(sector_scope)
    regions = _memo(region_scope)
    for base, variants in by_base.items():
        for i, first in enumerate(variants):
            for second in variants[i + 1 :]:
                shared = _shared_claim(first, second, sectors, regions)
                if shared is None:
                    continue
                for one, other in ((first, second), (second, first)):
                    problems.setdefault(
                        one.key,
                        LibraryProblem(
                            f"clashes with {other.key}",
                            f"{other.key!r} is a variant of {base!r} too, {shared}: a briefing "
                            "cannot tell which to use. Narrow what one of them applies to, or "
                            "remove its variant_of.",
                        ),
                    )
    return problems


def library_problems(store: Any) -> dict[str, LibraryProblem]:
    """Key -> the problem of each stored section whose front matter or variant
    does not work (see :func:`variant_problems`), for the section editor's list."""
    variants, countries, needs = _shipped_front_matter(None)
    library: dict[str, SectionTemplate] = {}
    problems: dict[str, LibraryProblem] = {}
    for record in store.sections():
        try:
            library[record.slug] = template_from_record(record, variants, countries, needs)
        except TemplateError as error:
            problems[record.slug] = LibraryProblem("front matter does not read", str(error))
    problems.update(variant_problems(library, store.sector_scope, store.region_scope))
    return problems


def _memo(scope: Scope | None) -> Scope:
    found: dict[str, set[str]] = {}

    def lookup(slug: str) -> set[str]:
        if slug not in found:
            try:
                found[slug] = set(scope(slug)) if scope is not None else {slug}
            except BriefingError:  # an unknown slug covers itself only
                found[slug] = {slug}
        return found[slug]

    return lookup


def _cover(values: tuple[str, ...], scope: Scope) -> set[str] | None:
    """What an applicability list covers; None for "everything" (an empty list)."""
    if not values:
        return None
    return set().union(*(scope(v) for v in values))


def _shared_claim(
    first: SectionTemplate, second: SectionTemplate, sectors: Scope, regions: Scope
) -> str | None:
    """How two variants' applicabilities meet, in words ("for automotive"), or
    None when no sector, region and partnership is claimed by both (a sector
    one of them names more closely is not shared: see :func:`closest_variants`;
    nor is a country only one of them is written for: see :func:`most_specific`)."""
    words = []
    if bool(first.countries) != bool(second.countries):
        return None  # the one written for a country wins there
    if first.countries:
        both = sorted(set(first.countries) & set(second.countries))
        if not both:
            return None
        words.append(f"in {', '.join(both)}")
    for kind, a, b, scope in (
        ("sector", first.sectors, second.sectors, sectors),
        ("region", first.regions, second.regions, regions),
        ("partnership", first.partnerships, second.partnerships, lambda slug: {slug}),
    ):
        one, other = _cover(a, scope), _cover(b, scope)
        if one is None and other is None:
            if kind == "sector":
                words.append("for every sector")
            continue
        shared = other if one is None else one if other is None else one & other
        if kind == "sector":
            shared = {s for s in shared if len(closest_variants([first, second], s, scope)) > 1}
        if not shared:
            return None
        # Name the listed slugs both cover (the narrower list's), else what both cover.
        named = sorted(shared & (set(a) | set(b))) or sorted(shared)
        words.append(f"for {', '.join(named[:4])}{' ...' if len(named) > 4 else ''}")
    return " and ".join(words)


def most_specific(variants: list[SectionTemplate]) -> list[SectionTemplate]:
    """Of the variants that apply to one selection (or repeated item), those
    written for its country when there are any: an expert text for China
    beats a text for every country. For a repeated sector the caller first
    keeps the variants naming it most closely (``closest_variants``)."""
    scoped = [v for v in variants if v.countries]
    return scoped or list(variants)


def closest_variants(
    variants: list[SectionTemplate], sector: str, sector_scope: Scope
) -> list[SectionTemplate]:
    """Of the variants that apply to a repeated ``sector``, those that name it
    most closely: one for new-energy vehicles before one for automotive, one
    for automotive before one with no sectors. More than one left is a clash."""
    claims = [_sector_claim(v, sector, sector_scope) for v in variants]
    return [
        v
        for v, claim in zip(variants, claims, strict=True)
        if not any(_closer(other, claim, sector_scope) for other in claims)
    ]


def _sector_claim(template: SectionTemplate, sector: str, scope: Scope) -> str | None:
    """The listed sector that covers ``sector`` most closely; "" when the
    template lists none (it covers every sector), None when none covers it."""
    if not template.sectors:
        return ""
    covering = [s for s in template.sectors if sector in scope(s)]
    return min(covering, key=lambda s: len(scope(s))) if covering else None


def _closer(claim: str | None, than: str | None, scope: Scope) -> bool:
    if claim is None or than is None or claim == than or claim == "":
        return False
    return than == "" or claim in scope(than)


_VARIANTS_LOCK = threading.Lock()
_Shipped = tuple[dict[str, str], dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]
_VARIANTS: dict[str, tuple[float, _Shipped]] = {}


def shipped_variants(folder: Path | None = None) -> dict[str, str]:
    """key -> variant_of for the shipped section files (re-read when they change)."""
    return _shipped_front_matter(folder)[0]


def shipped_countries(folder: Path | None = None) -> dict[str, tuple[str, ...]]:
    """key -> countries (ISO codes) for the shipped section files that name some."""
    return _shipped_front_matter(folder)[1]


def shipped_needs(folder: Path | None = None) -> dict[str, tuple[str, ...]]:
    """key -> needs for the shipped section files that declare some."""
    return _shipped_front_matter(folder)[2]


def _shipped_front_matter(folder: Path | None) -> _Shipped:
    """What the store does not keep of the shipped files' front matter."""
    folder = folder or paths.sections_dir()
    files = sorted(folder.rglob("*.md")) if folder.is_dir() else []
    stamp = max((p.stat().st_mtime for p in files), default=0.0) + len(files)
    with _VARIANTS_LOCK:
        cached = _VARIANTS.get(str(folder))
        if cached and cached[0] == stamp:
            return cached[1]
    variants: dict[str, str] = {}
    countries: dict[str, tuple[str, ...]] = {}
    needs: dict[str, tuple[str, ...]] = {}
    for path in files:
        try:
            meta, _body, _line = split_front_matter(path.read_text(encoding="utf-8"), path.stem)
        except (OSError, UnicodeDecodeError, TemplateError):
            continue  # a broken shipped file is the store's to report
        key = str(meta.get("key") or path.stem)
        if meta.get("variant_of"):
            variants[key] = str(meta["variant_of"])
        try:
            codes = _codes(meta.get("countries"), key)
        except TemplateError:
            codes = ()  # the section editor's list names the problem
        if codes:
            countries[key] = codes
        try:
            wanted = _needs(meta.get("needs"), key)
        except TemplateError:
            wanted = ()  # the section editor's list names the problem
        if wanted:
            needs[key] = wanted
    with _VARIANTS_LOCK:
        _VARIANTS[str(folder)] = (stamp, (variants, countries, needs))
    return variants, countries, needs


def _slugs(value: Any) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _codes(value: Any, name: str) -> tuple[str, ...]:
    """Country codes as written (``CN``, ``[CN, HK]``), upper case; a
    TemplateError naming the section for anything else."""
    if value in (None, ""):
        return ()
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise TemplateError(
            name, None, None, "countries must be a list of ISO country codes, such as [CN]"
        )
    return tuple(code.strip().upper() for code in values if code.strip())


def _needs(value: Any, name: str) -> tuple[str, ...]:
    """What a section needs (``needs: [profiles]``), each one of
    :data:`~briefing_app.assembly.needs.NEEDS`; a TemplateError naming the
    section for anything else."""
    from briefing_app.assembly.needs import NEEDS

    if value in (None, ""):
        return ()
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise TemplateError(name, None, None, "needs must be a list, such as [profiles]")
    unknown = [v for v in values if v.strip() not in NEEDS]
    if unknown:
        raise TemplateError(
            name,
            None,
            None,
            f"needs: {unknown_message('need', unknown[0].strip(), sorted(NEEDS))} "
            f"(a section may need {', '.join(sorted(NEEDS))})",
        )
    return tuple(v.strip() for v in values)
