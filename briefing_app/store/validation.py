"""Checking import rows before anything is written.

:func:`parse_row` turns the cells of one row into typed field values and
lists what is wrong with that row alone. :class:`FileValidator` adds what
needs the whole file: duplicate slugs, and references that may point at
rows further down the same file or at records already in the database.
It keeps only slugs and unresolved references, never whole rows, so a
large file is checked in bounded memory.
"""

from __future__ import annotations

import sqlite_utils

from briefing_app.errors import ImportProblem
from briefing_app.store import codec, queries
from briefing_app.store.entities import EntitySpec, key_column, kind_slug, spec
from briefing_app.store.records import KIND_GROUPINGS


def parse_row(sp: EntitySpec, kinds: codec.FieldKinds, cells: dict[str, str]):
    """(values, [(column, message)]) for one row given as cell texts."""
    values: dict[str, object] = {}
    problems: list[tuple[str, str]] = []
    defaults = sp.defaults
    required = set(sp.required)
    for name in sp.fields:
        kind = kinds.kinds[name]
        if name not in cells:
            values[name] = defaults.get(name, () if kind == "list" else None)
            continue
        cell = codec.unescape_formula(cells[name])
        # checked before stripping: strip() would hide some of them
        refused = codec.character_problem(cell)
        if refused:
            problems.append((name, refused))
            values[name] = defaults.get(name, () if kind == "list" else None)
            continue
        if kind == "str":
            cell = cell.strip()
        if kind == "float" and name in kinds.optional_int and not cell.strip():
            values[name] = None  # an optional number left empty
            continue
        value, problem = codec.parse_cell(kind, cell, name)
        if problem:
            problems.append((name, problem))
        elif name in required and value in ("", None):
            problems.append((name, "is required but empty"))
        else:
            problem = _invisible(kind, value, name in required)
            if problem:
                problems.append((name, problem))
        values[name] = value
    problems += _field_rules(sp, values)
    problems += _position_rules(values, {column for column, _message in problems})
    return values, problems


def _invisible(kind: str, value: object, required: bool) -> str | None:
    """A text, or an entry of a list, that is not empty but shows nothing."""
    if kind == "str":
        return codec.invisible_problem(value, required)  # type: ignore[arg-type]
    if kind == "list":
        for entry in value:  # type: ignore[attr-defined]
            problem = codec.invisible_problem(entry, True)
            if problem:
                return "an entry " + problem
    return None


def _field_rules(sp: EntitySpec, values: dict) -> list[tuple[str, str]]:
    problems = []
    slug = values.get("slug")
    if isinstance(slug, str) and slug and not codec.SLUG_RE.match(slug):
        problems.append(("slug", f"{slug!r} is not a slug (lowercase letters, digits, hyphens)"))
    if sp.name == "countries":
        iso = values.get("iso_code") or ""
        if iso and not codec.ISO_RE.match(iso):
            problems.append(("iso_code", f"{iso!r} is not a two-letter upper-case ISO code"))
    for name, allowed in sp.choices.items():
        value = values.get(name)
        if value not in (None, "") and value not in allowed:
            problems.append((name, f"{value!r} is not one of: {', '.join(allowed)}"))
    for name, allowed in sp.list_choices.items():
        wrong = [v for v in values.get(name) or () if v not in allowed]
        if wrong:
            problems.append((name, f"{wrong[0]!r} is not one of: {', '.join(allowed)}"))
    if sp.name == "kinds":
        problems += _kind_rules(values)
    if sp.name == "profiles":
        iso = values.get("country") or ""
        if iso and not codec.ISO_RE.match(iso):
            problems.append(("country", f"{iso!r} is not a two-letter upper-case ISO code"))
    for name in sp.links:
        items = values.get(name) or ()
        twice = sorted({v for v in items if list(items).count(v) > 1})
        if twice:
            problems.append((name, f"lists {', '.join(twice)} more than once"))
    if values.get("parent") and values.get("parent") == slug:
        problems.append(("parent", "a record cannot be its own parent"))
    if slug and slug in (values.get("groups") or ()):
        problems.append(("groups", "a region cannot be a group of itself"))
    if values.get("acronym_official") and not (values.get("acronym") or "").strip():
        problems.append(
            ("acronym_official", "is true but the acronym is empty; give the acronym or untick it")
        )
    start, end = values.get("start_year"), values.get("end_year")
    if isinstance(start, int) and isinstance(end, int) and end < start:
        problems.append(("end_year", f"ends ({end}) before it starts ({start})"))
    return problems


def _kind_rules(values: dict) -> list[tuple[str, str]]:
    """A kinds row names an entity that takes kinds, a code that is a slug,
    a grouping the briefing knows for that entity, and the slug
    ``<entity>-<code>`` (so one code may serve two entities)."""
    problems = []
    entity, code = values.get("entity") or "", values.get("code") or ""
    if entity and entity not in KIND_GROUPINGS:
        problems.append(
            ("entity", f"{entity!r} takes no kinds; one of: {', '.join(KIND_GROUPINGS)}")
        )
        return problems
    if code and not codec.SLUG_RE.match(code):
        problems.append(("code", f"{code!r} is not a slug (lowercase letters, digits, hyphens)"))
    grouping = values.get("grouping") or ""
    if entity and grouping and grouping not in KIND_GROUPINGS[entity]:
        problems.append(
            (
                "grouping",
                f"{grouping!r} is not a grouping of {entity}; one of: "
                f"{', '.join(KIND_GROUPINGS[entity])}",
            )
        )
    slug = values.get("slug") or ""
    if entity and code and slug and slug != kind_slug(entity, code):
        problems.append(
            ("slug", f"must be {kind_slug(entity, code)!r}: the entity, a hyphen and the code")
        )
    return problems


# A map position: (field, lowest, highest) in WGS84 degrees.
_POSITION_RANGES = (("latitude", -90.0, 90.0), ("longitude", -180.0, 180.0))


def _position_rules(values: dict, bad: set[str]) -> list[tuple[str, str]]:
    """A position is a latitude and a longitude in range, both or neither
    (``bad``: columns already refused, not to be blamed twice)."""
    if ("latitude" not in values and "longitude" not in values) or bad & {"latitude", "longitude"}:
        return []
    problems = []
    given = {name: values.get(name) for name, _low, _high in _POSITION_RANGES}
    for name, low, high in _POSITION_RANGES:
        value = given[name]
        if isinstance(value, float) and not low <= value <= high:
            problems.append(
                (name, f"{value:g} is out of range: a {name} lies between {low:g} and {high:g}")
            )
    latitude, longitude = given["latitude"], given["longitude"]
    if (latitude is None) != (longitude is None):
        missing = "latitude" if latitude is None else "longitude"
        problems.append(
            (
                missing,
                "a position needs both latitude and longitude; give this one too, "
                "or leave both empty",
            )
        )
    if values.get("position_source") and latitude is None and longitude is None:
        problems.append(("position_source", "names the source of a position that is not given"))
    return problems


class FileValidator:
    """Collects every problem of one import file, row by row, then as a whole."""

    def __init__(self, db: sqlite_utils.Database, entity: str):
        self.db = db
        self.spec = spec(entity)
        self.kinds = codec.FieldKinds(self.spec)
        self.problems: list[ImportProblem] = []
        self.slug_lines: dict[str, int] = {}
        self.file_keys: set[str] = set()  # what other rows of this file may point at
        self.pending: list[tuple[int, str, str, str]] = []  # line, column, target, value
        # (line, column, region, country): a record's region must lie in its country
        self.placed: list[tuple[int, str, str, str]] = []
        self.file_region_country: dict[str, str] = {}
        self._region_country: dict[str, str] | None = None
        self._known: dict[str, set[str]] = {}
        self._iso_owner: dict[str, str] | None = None
        self.rows = 0

    def check_header(self, columns: list[str], line: int = 1) -> bool:
        """False (with problems noted) when rows cannot be read against this header."""
        ok = True
        seen: set[str] = set()
        for position, col in enumerate(columns, 1):
            if not col:
                self.problems.append(
                    ImportProblem(
                        line,
                        f"column {position} has an empty name; give it one of the names "
                        f"{', '.join(self.spec.fields)}, or delete that column",
                    )
                )
                ok = False
                continue
            if col in seen:
                self.problems.append(ImportProblem(line, "column appears twice", col))
                ok = False
            seen.add(col)
            if col not in self.spec.fields:
                self.problems.append(
                    ImportProblem(
                        line, f"unknown column; expected: {', '.join(self.spec.fields)}", col
                    )
                )
                ok = False
        for col in self.spec.required:
            if col not in seen:
                self.problems.append(ImportProblem(line, "required column is missing", col))
                ok = False
        return ok

    def known(self, target: str) -> set[str]:
        if target not in self._known:
            self._known[target] = queries.slugs(self.db, target, key_column(target))
        return self._known[target]

    def also_known(self, target: str, keys, region_country: dict[str, str] | None = None):
        """Keys of ``target`` that another file of the same import (a country
        pack) writes first; ``region_country`` places that file's regions."""
        self.known(target).update(keys)
        if region_country:
            if self._region_country is None:
                self._region_country = dict(
                    self.db.conn.execute("SELECT slug, country FROM regions")
                )
            self._region_country.update(region_country)

    def check_row(self, line: int, cells: dict[str, str], reported=frozenset()) -> dict:
        """Note the row's problems; its typed values (meaningful only if none).

        Columns in ``reported`` already have a problem noted by the reader
        (a JSON value of the wrong type): nothing more is said about them.
        """
        self.rows += 1
        values, problems = parse_row(self.spec, self.kinds, cells)
        for column, message in problems:
            if column not in reported:
                self.problems.append(ImportProblem(line, message, column))
        slug = values.get("slug")
        if slug:
            if slug in self.slug_lines:
                self.problems.append(
                    ImportProblem(
                        line, f"slug {slug!r} already used on line {self.slug_lines[slug]}", "slug"
                    )
                )
            else:
                self.slug_lines[slug] = line
        own_key = values.get(key_column(self.spec.name))
        if own_key:
            self._check_iso_owner(line, values)
            self.file_keys.add(own_key)
        self._note_references(line, values)
        self._note_places(line, values)
        return values

    def _note_places(self, line: int, values: dict) -> None:
        """Check that the regions a record names lie in the record's country."""
        country = values.get("country")
        if not country or "country" not in self.spec.refs:
            return
        if self._region_country is None:
            self._region_country = dict(self.db.conn.execute("SELECT slug, country FROM regions"))
        if self.spec.name == "regions":
            self.file_region_country[values.get("slug") or ""] = country
            places = [("parent", values.get("parent"))]
            places += [("groups", g) for g in values.get("groups") or ()]
        else:
            places = [("region", values.get("region"))]
        for column, region in places:
            if not region:
                continue
            if region in self._region_country:
                self._check_place(line, column, region, country, self._region_country[region])
            elif self.spec.name == "regions":  # may be defined further down this file
                self.placed.append((line, column, region, country))

    def _check_place(self, line: int, column: str, region: str, country: str, actual: str):
        if actual != country:
            self.problems.append(
                ImportProblem(line, f"region {region!r} lies in {actual}, not in {country}", column)
            )

    def _check_iso_owner(self, line: int, values: dict) -> None:
        if self.spec.name != "countries":
            return
        if self._iso_owner is None:
            self._iso_owner = dict(self.db.conn.execute("SELECT iso_code, slug FROM countries"))
        iso, slug = values["iso_code"], values["slug"]
        owner = self._iso_owner.get(iso)
        if owner and owner != slug:
            self.problems.append(
                ImportProblem(
                    line, f"ISO code {iso!r} already belongs to country {owner!r}", "iso_code"
                )
            )
        if iso in self.file_keys:
            self.problems.append(ImportProblem(line, f"ISO code {iso!r} appears twice", "iso_code"))

    def _note_references(self, line: int, values: dict) -> None:
        refs = [(f, t, values.get(f)) for f, t in self.spec.refs.items()]
        for name, link in self.spec.links.items():
            if link.target:
                refs += [(name, link.target, v) for v in values.get(name) or ()]
        kind = self.spec.kind_field
        if kind and values.get(kind):  # a code of the kinds table, by its row's slug
            refs.append((kind, "kinds", kind_slug(self.spec.name, values[kind])))
        for column, target, value in refs:
            if not value or value in self.known(target):
                continue
            self.pending.append((line, column, target, value))

    def finish(self) -> list[ImportProblem]:
        """Resolve references against the whole file; all problems, by line."""
        for line, column, target, value in self.pending:
            if target == self.spec.name and value in self.file_keys:
                continue
            if target == "kinds":
                self.problems.append(ImportProblem(line, self._unknown_kind(value), column))
                continue
            self.problems.append(
                ImportProblem(line, f"unknown {_singular(target)} {value!r}", column)
            )
        self._check_places()
        self.problems.sort(key=lambda p: (p.line, p.column))
        return self.problems

    def _unknown_kind(self, slug: str) -> str:
        """What to say of a record whose kind has no row in the kinds table."""
        entity = self.spec.name
        prefix = kind_slug(entity, "")
        code = slug[len(prefix) :]
        known = sorted(k[len(prefix) :] for k in self.known("kinds") if k.startswith(prefix))
        return (
            f"unknown {_singular(entity)} {self.spec.kind_field} {code!r}; "
            f"known: {', '.join(known) or 'none'}. "
            f"To add one, import a kinds row first (entity {entity}, code {code}, "
            f"slug {slug}, a label and a grouping), or put it in the pack's kinds file"
        )

    def _check_places(self) -> None:
        for line, column, region, country in self.placed:
            actual = self.file_region_country.get(region)
            if actual:
                self._check_place(line, column, region, country, actual)


def _singular(entity: str) -> str:
    return {"countries": "country (ISO code)", "policies": "policy"}.get(entity, entity[:-1])
