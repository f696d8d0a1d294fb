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
form of a Jinja title, and the problems of a library's sections. Reading
front matter lives in :mod:`~briefing_app.assembly.front_matter`, choosing
between variants in :mod:`~briefing_app.assembly.library_variants`; their
public names are importable from here too.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from briefing_app.assembly.front_matter import (
    FRONT_MATTER_KEYS,
    country_codes,
    declared_needs,
    listed_slugs,
    opens_with_front_matter,
    shipped_countries,
    shipped_front_matter,
    shipped_needs,
    shipped_variants,
    split_front_matter,
)
from briefing_app.assembly.library_variants import (
    LibraryProblem,
    Scope,
    closest_variants,
    most_specific,
    variant_base_problem,
    variant_problems,
)
from briefing_app.errors import TemplateError

__all__ = [
    "FRONT_MATTER_KEYS",
    "LibraryProblem",
    "Scope",
    "SectionTemplate",
    "closest_variants",
    "library_problems",
    "most_specific",
    "readable_title",
    "section_label",
    "section_library",
    "shipped_countries",
    "shipped_needs",
    "shipped_variants",
    "split_front_matter",
    "template_from_record",
    "template_from_text",
    "variant_base_problem",
    "variant_problems",
]


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


def template_from_text(text: str, name: str) -> SectionTemplate:
    """A section file's text (front matter + body) as a template.

    The section editor checks a stored text with its title field put in a
    front matter above it; a front matter the stored text opens with is read
    too (its keys win), as the build reads it from the record.
    """
    meta, body, first_line = split_front_matter(text, name)
    if meta and opens_with_front_matter(body):
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
        sectors=listed_slugs(meta.get("sectors")),
        regions=listed_slugs(meta.get("regions")),
        partnerships=listed_slugs(meta.get("partnerships")),
        variant_of=str(meta.get("variant_of") or ""),
        first_line=first_line,
        countries=country_codes(meta.get("countries"), name),
        needs=declared_needs(meta.get("needs"), name),
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
    if opens_with_front_matter(section.body):
        meta, body, first_line = split_front_matter(section.body, section.slug)
    if "variant_of" in meta:
        variant_of = str(meta["variant_of"] or "")
    elif section.shipped_body:
        known = variants if variants is not None else shipped_variants()
        variant_of = known.get(section.slug, "")
    else:
        variant_of = ""
    if "countries" in meta:
        scope = country_codes(meta["countries"], section.slug)
    elif section.shipped_body:
        known_scopes = countries if countries is not None else shipped_countries()
        scope = tuple(known_scopes.get(section.slug, ()))
    else:
        scope = ()
    if "needs" in meta:
        wanted = declared_needs(meta["needs"], section.slug)
    elif section.shipped_body:
        wanted = tuple((needs if needs is not None else shipped_needs()).get(section.slug, ()))
    else:
        wanted = ()
    return SectionTemplate(
        key=section.slug,
        title=str(meta.get("title") or section.title),
        body=body,
        sectors=listed_slugs(meta.get("sectors")) or tuple(section.sectors),
        regions=listed_slugs(meta.get("regions")) or tuple(section.regions),
        partnerships=listed_slugs(meta.get("partnerships")) or tuple(section.partnerships),
        variant_of=variant_of,
        first_line=first_line,
        countries=scope,
        needs=wanted,
    )


def section_library(records: list[Any]) -> dict[str, SectionTemplate]:
    """Key -> template for stored section records, in their order."""
    variants, countries, needs = shipped_front_matter(None)
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


def library_problems(store: Any) -> dict[str, LibraryProblem]:
    """Key -> the problem of each stored section whose front matter or variant
    does not work (see :func:`variant_problems`), for the section editor's list."""
    variants, countries, needs = shipped_front_matter(None)
    library: dict[str, SectionTemplate] = {}
    problems: dict[str, LibraryProblem] = {}
    for record in store.sections():
        try:
            library[record.slug] = template_from_record(record, variants, countries, needs)
        except TemplateError as error:
            problems[record.slug] = LibraryProblem("front matter does not read", str(error))
    problems.update(variant_problems(library, store.sector_scope, store.region_scope))
    return problems
