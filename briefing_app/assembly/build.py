"""Selection -> Document: the assembly of a whole briefing.

A :class:`BuildSession` holds what one build shares: the records of the
selection, the parsed blueprint, the section library, the ``kb`` facade (and
its memo), the sandbox and the counters for tables, figures and footnotes.
Sections are rendered in outline order, so numbers follow the reading order.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import fields
from typing import Any

from briefing_app.assembly.anchors import Anchors
from briefing_app.assembly.blueprint import BlueprintSpec, parse_blueprint
from briefing_app.assembly.budget import BudgetExceeded, BuildBudget
from briefing_app.assembly.helpers import Helpers, markdown_literal
from briefing_app.assembly.knowledge import KnowledgeBase
from briefing_app.assembly.library import (
    SectionTemplate,
    readable_title,
    section_library,
    template_from_text,
)
from briefing_app.assembly.markdown_model import MarkdownConverter, MarkdownError, slugify
from briefing_app.assembly.needs import EMPTY_REASON, mark_left_out
from briefing_app.assembly.outline import number_outline, plan_items
from briefing_app.assembly.placeholders import Numbering, Placeholders, neutral
from briefing_app.assembly.sandbox import Limits, TemplateSandbox
from briefing_app.assembly.script import convert_document
from briefing_app.assembly.selection import Cover, OutlineItem, Selection, validate_selection
from briefing_app.document import (
    Block,
    CoverRow,
    Document,
    Figure,
    Heading,
    ListOfFigures,
    ListOfTables,
    Metadata,
    Table,
    TableOfContents,
)
from briefing_app.errors import BriefingError, NotFoundError, NothingToPrint, TemplateError

Progress = Callable[[float], None]
_UNESCAPE = re.compile(r"\\([\\`*_\[\]<>|~])")

# Cover fields -> the start of the cover row label they fill (ECCP wording).
COVER_ROWS = (
    ("project_name", "Project name"),
    ("acronym", "Project acronym"),
    ("deliverable", "Deliverable title and number"),
    ("work_package", "Related work package"),
    ("lead", "Deliverable lead"),
    ("reviewed_by", "Reviewed by"),
    ("contractual_date", "Contractual delivery date"),
    ("actual_date", "Actual delivery date"),
    ("version", "Document version"),
)


class BuildSession:
    """Everything one build of one selection shares."""

    def __init__(
        self,
        store: Any,
        selection: Selection,
        limits: Limits | None = None,
        preview_rows: int | None = None,
        budget: BuildBudget | None = None,
    ) -> None:
        validate_selection(store, selection)
        self.store = store
        self.selection = selection
        self.country = store.country(selection.country)
        self.region = store.region(selection.region) if selection.region else None
        self.sectors = [store.sector(slug) for slug in selection.sectors]
        self.partnerships = [store.get("partnerships", slug) for slug in selection.partnerships]
        self.profiles = [store.get("profiles", slug) for slug in selection.profiles]
        record = store.blueprint(selection.blueprint)
        self.blueprint: BlueprintSpec = parse_blueprint(
            record.outline_yaml, f"blueprint {record.slug}"
        )
        self.kb = KnowledgeBase(store, self.country, self.region)
        # One for the whole build: the sandbox, helpers, Markdown and numbering check it.
        self.budget = budget or BuildBudget()
        self.kb.set_partner_choices(
            selection.sectors, selection.partner_pins, selection.partner_drops
        )
        self.placeholders = Placeholders()
        self.numbering = Numbering(self.budget)
        self.anchors = Anchors()
        helpers = Helpers(self.kb, self.placeholders, preview_rows, self.budget)
        self.sandbox = TemplateSandbox(
            globals=helpers.globals(),
            filters=helpers.filters(),
            limits=limits,
            finalize=markdown_literal,
            budget=self.budget,
        )
        self._library: dict[str, SectionTemplate] | None = None
        self._params_cache: dict[tuple, dict[str, Any]] = {}
        self.cover = (
            Cover()
        )  # the raw cover is what templates see while the cover itself is rendered
        self.cover = self._resolved_cover()

    # -- library and context -----------------------------------------------------

    def library(self) -> dict[str, SectionTemplate]:
        if self._library is None:
            self._library = section_library(self.store.sections())
        return self._library

    def section(self, key: str) -> SectionTemplate:
        found = self.library().get(key)
        if found is None:
            raise NotFoundError(f"section {key!r} is not in the section library")
        return found

    @property
    def area_name(self) -> str:
        return self.region.name if self.region is not None else self.country.name

    def context(self, params: dict[str, str] | None = None) -> dict[str, Any]:
        """The variables of docs/templates.md, with the repeated item bound."""
        context: dict[str, Any] = {
            "country": self.country,
            "region": self.region,
            "area_name": self.area_name,
            "sectors": self.sectors,
            "partnerships": self.partnerships,
            "profiles": self.profiles,
            "cover": self.cover,
            "kb": self.kb,
        }
        for name, slug in (params or {}).items():
            context[name] = self._param_record(name, slug)
        return context

    def _param_record(self, name: str, slug: str) -> Any:
        entity = {"sector": "sectors", "partnership": "partnerships", "item_region": "regions"}.get(
            name
        )
        if entity is None:
            raise TemplateError(name, None, None, f"unknown outline parameter {name!r}")
        return self.store.get(entity, slug)

    # -- rendering -----------------------------------------------------------------

    def plan(self) -> list[OutlineItem]:
        return plan_items(self)

    def render_plain(self, source: str, name: str, params: dict[str, str] | None = None) -> str:
        """A title or cover field: rendered, then without Markdown escapes."""
        if "{" not in source:
            return source
        text = self.sandbox.render(source, self.context(params), name)
        return _UNESCAPE.sub(r"\1", text).strip()

    def render_title(self, section: SectionTemplate, params: dict[str, str]) -> str:
        return self.render_plain(section.title, f"{section.key} (title)", params)

    def outline_title(self, section: SectionTemplate, params: dict[str, str]) -> str:
        """The title rendered, or its readable form when it does not render."""
        try:
            return self.render_title(section, params)
        except BriefingError:
            return readable_title(section.title)

    def item_title(self, item: OutlineItem, section: SectionTemplate) -> str:
        """An item's heading: its title, or the section's title rendered when the
        item holds it unrendered (a section added by hand) or in the readable
        form planning fell back to (the build then reports why it fails).
        Planned titles are not rendered twice: a name in the data may hold braces."""
        if item.title in (section.title, readable_title(section.title)):
            return self.render_title(section, item.params)
        return item.title

    def render_blocks(
        self,
        section: SectionTemplate,
        params: dict[str, str],
        base_level: int,
        anchor_prefix: str,
        body: str | None = None,
    ) -> list[Block]:
        """The blocks of one section body (its heading is the caller's)."""
        text = self.sandbox.render(
            section.body if body is None else body,
            self.context(params),
            section.key,
            first_line=section.first_line,
        )
        converter = MarkdownConverter(
            self.placeholders,
            self.numbering,
            base_level,
            anchor_prefix,
            self.anchors,
            budget=self.budget,
        )
        try:
            return converter.convert(text)
        except (MarkdownError, BudgetExceeded) as exc:
            raise TemplateError(section.key, None, None, str(exc)) from None

    def heading(self, level: int, text: str, number: str | None, key: str) -> Heading:
        try:
            self.budget.add_heading()
        except BudgetExceeded as exc:
            raise TemplateError(key, None, None, str(exc)) from None
        # Planned titles may hold record names: marker characters neutralised.
        return Heading(level, neutral(text), number, self.anchors.unique(slugify(key)))

    # -- cover -----------------------------------------------------------------------

    def _resolved_cover(self) -> Cover:
        """The user's cover fields, the blanks filled from the blueprint's cover block."""
        given = self.selection.cover
        block = self.blueprint.cover
        rows = self._blueprint_rows()
        values = {}
        for f in fields(Cover):
            own = getattr(given, f.name)
            default = block.get(f.name)
            if default is None:
                default = rows.get(dict(COVER_ROWS).get(f.name, ""), "")
            if f.name == "title" and not default:
                default = "Briefing on {{ area_name }}"
            values[f.name] = own or self.render_plain(str(default or ""), f"cover {f.name}")
        return Cover(**values)

    def _blueprint_rows(self) -> dict[str, str]:
        """Extra ``rows: [[label, value], ...]`` of a cover block, by label."""
        found: dict[str, str] = {}
        for row in self.blueprint.cover.get("rows") or []:
            if isinstance(row, (list, tuple)) and len(row) == 2:
                found[_canonical_label(str(row[0]))] = str(row[1] or "")
        return found

    def metadata(self) -> Metadata:
        cover = self.cover
        rows = [
            CoverRow(label, neutral(getattr(cover, name)))
            for name, label in COVER_ROWS
            if getattr(cover, name)
        ]
        known = {label for _name, label in COVER_ROWS}
        for label, value in self._blueprint_rows().items():
            if label not in known:
                text = self.render_plain(value, "cover row")
                if text:
                    rows.append(CoverRow(label, text))
        block = self.blueprint.cover
        keywords = [self.country.name] + ([self.region.name] if self.region else [])
        keywords += [s.name for s in self.sectors] + [p.label for p in self.partnerships]
        # Record and user text enters the document here too: marker characters
        # are neutralised as everywhere else (placeholders.neutral).
        return Metadata(
            title=neutral(cover.title),
            subtitle=neutral(cover.subtitle),
            author=neutral(cover.lead),
            subject=neutral(f"{self.blueprint.name}: {self.area_name}"),
            keywords=tuple(neutral(k) for k in keywords),
            cover_rows=tuple(rows),
            abstract=neutral(cover.abstract),
            disclaimer=self.render_plain(str(block.get("disclaimer") or ""), "cover disclaimer"),
            copyright=self.render_plain(str(block.get("copyright") or ""), "cover copyright"),
            page_size=self.selection.page_size,  # type: ignore[arg-type]
            header_text=neutral(cover.title),
            version=cover.version,
        )


def _canonical_label(label: str) -> str:
    """Map a blueprint's row label onto the ECCP label it stands for."""
    lowered = label.lower()
    for _field, known in COVER_ROWS:
        if lowered.startswith(known.lower()[:14]):
            return known
    return label


# -- public entry points ------------------------------------------------------------


def build_document(
    store: Any,
    selection: Selection,
    outline: list[OutlineItem] | None = None,
    progress: Progress | None = None,
    preview_rows: int | None = None,
    budget: BuildBudget | None = None,
    left_out: dict[str, str] | None = None,
) -> Document:
    """The whole briefing for ``selection``.

    ``outline`` (or, when None, ``selection.outline``) is a user-edited
    outline; without one the blueprint's planned outline is used.
    ``progress(fraction)`` is called after each section and may raise Cancelled.
    ``preview_rows``, for a preview, keeps that many rows of each table made
    with ``table()`` and counts the rest (``Table.omitted_rows``). ``budget``
    bounds the whole build's time and size (default: budget.BuildLimits()).
    ``left_out``, a dict, receives key -> reason for every included item the
    briefing does not print (an unmet need, or nothing to say once rendered):
    the preview greys them in the outline. With nothing to print at all the
    build raises NothingToPrint (``left_out`` is filled first).
    """
    session = BuildSession(store, selection, preview_rows=preview_rows, budget=budget)
    items = mark_left_out(
        session, list(outline if outline is not None else selection.outline) or session.plan()
    )
    kept = _with_content(_rendered(session, items, progress))
    if left_out is not None:  # what the preview greys in the outline, and why
        printed = {entry[0].key for entry in kept}
        left_out.update(
            (i.key, i.left_out or EMPTY_REASON)
            for i in items
            if i.included and i.key not in printed
        )
    if not kept:
        raise NothingToPrint(_nothing_to_print(session, items))
    blocks: list[Block] = []
    annexes_open = False
    for entry, (_item, title, anchor, body) in zip(
        number_outline([r[0] for r in kept]), kept, strict=True
    ):
        if entry.item.annex and not annexes_open:
            blocks.append(session.heading(1, "Annexes", None, "annexes"))
            annexes_open = True
        blocks.append(Heading(entry.level, title, entry.number, anchor))
        blocks.extend(body)
    return convert_document(_document(session, blocks), selection.script)


def _rendered(session: BuildSession, items: list[OutlineItem], progress: Progress | None) -> list:
    """(item, title, anchor, blocks) of each item built, in order. Each section
    is rendered at the level the full outline gives it; :func:`_with_content`
    then leaves out one with nothing to say (and no sub-section that has),
    with its heading, and the rest are numbered without gaps."""
    included = [item for item in items if item.built]
    rendered: list[tuple[OutlineItem, str, str, list[Block]]] = []
    for done, entry in enumerate(number_outline(included), start=1):
        item = entry.item
        section = session.section(item.section)
        title = session.item_title(item, section)
        anchor = session.heading(entry.level, title, None, item.key).anchor
        body = session.render_blocks(section, item.params, entry.level, anchor)
        rendered.append((item, title, anchor, body))
        if progress is not None:
            progress(done / max(1, len(included)))
    return rendered


def _nothing_to_print(session: BuildSession, items: list[OutlineItem]) -> str:
    """Why a briefing whose every section is left out cannot be built."""
    reasons = sorted({item.left_out for item in items if item.included and item.left_out})
    why = f" ({'; '.join(reasons)})" if reasons else ""
    return (
        f"the {session.blueprint.name} for {session.area_name} has nothing to print: "
        f"every section of its outline is left out{why}. Add the missing records "
        "(`briefing coverage` lists them) or choose another blueprint."
    )


def _with_content(rendered: list) -> list:
    """The rendered items that print something or have a sub-item that does."""
    keep = [bool(body) for _item, _title, _anchor, body in rendered]
    for i in range(len(rendered) - 1, -1, -1):
        level = rendered[i][0].level
        j = i + 1
        while not keep[i] and j < len(rendered) and rendered[j][0].level > level:
            keep[i] = keep[j]
            j += 1
    return [r for r, wanted in zip(rendered, keep, strict=True) if wanted]


def build_section_preview(
    store: Any, selection: Selection, item: OutlineItem, preview_rows: int | None = None
) -> Document:
    """One outline item as a small document, numbered as in the briefing's outline
    (the selection's edited outline, else the planned one); ``preview_rows``
    as for :func:`build_document`."""
    session = BuildSession(store, selection, preview_rows=preview_rows)
    section = session.section(item.section)
    outline = mark_left_out(session, list(selection.outline) or session.plan())
    entry = next((n for n in number_outline(outline) if n.item.key == item.key), None)
    number, level = (entry.number, entry.level) if entry is not None else (None, item.level)
    heading = session.heading(level, session.item_title(item, section), number, item.key)
    blocks = [heading, *session.render_blocks(section, item.params, level, heading.anchor)]
    document = Document(session.metadata(), tuple(blocks), tuple(session.numbering.footnotes))
    return convert_document(document, selection.script)


def render_template(
    store: Any, selection: Selection, body: str, name: str = "<editor>"
) -> Document:
    """Render a section text from the editor (front matter optional).

    Repeat variables are bound to the first selected sector, partnership and
    member region, or to the section's own first sector when none is selected,
    so that a sector section can be previewed. TemplateError carries the
    line and column in ``body``.
    """
    session = BuildSession(store, selection)
    section = template_from_text(body, name)
    section = SectionTemplate(**{**section.__dict__, "key": name})
    params = _sample_params(session, section)
    session.sandbox.compile_check(section.body, name, section.first_line)
    blocks: list[Block] = []
    if body.lstrip("\ufeff").startswith("---"):
        blocks.append(session.heading(2, session.render_title(section, params), None, name))
    blocks.extend(session.render_blocks(section, params, 2, slugify(name)))
    document = Document(session.metadata(), tuple(blocks), tuple(session.numbering.footnotes))
    return convert_document(document, selection.script)


def _sample_params(session: BuildSession, section: SectionTemplate) -> dict[str, str]:
    params: dict[str, str] = {}
    uses = section.body + section.title
    sector = (session.selection.sectors or section.sectors or ("",))[0]
    if sector and re.search(r"\bsector\b", uses):
        params["sector"] = sector
    partnership = (session.selection.partnerships or section.partnerships or ("",))[0]
    if partnership and re.search(r"\bpartnership\b", uses):
        params["partnership"] = partnership
    if session.selection.region and re.search(r"\bitem_region\b", uses):
        members = session.kb.region_members(session.selection.region)
        if members:
            params["item_region"] = members[0].slug
    return params


def _document(session: BuildSession, body: list[Block]) -> Document:
    front: list[Block] = []
    blueprint = session.blueprint
    if blueprint.wants("toc"):
        front.append(TableOfContents())
    if blueprint.wants("list_of_figures") and any(isinstance(b, Figure) for b in body):
        front.append(ListOfFigures())
    if blueprint.wants("list_of_tables") and any(isinstance(b, Table) and b.number for b in body):
        front.append(ListOfTables())
    return Document(session.metadata(), tuple(front + body), tuple(session.numbering.footnotes))
