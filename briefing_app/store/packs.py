"""Country packs: one folder or .zip holding everything known about a country.

A pack has a manifest, ``pack.yaml``::

    format: 1
    country: VN            # ISO code of the country the pack describes
    name: Viet Nam
    version: "2026.1"
    date: 2026-12-05
    licence: CC-BY-4.0
    authors: [ECCP team]
    files: [sources.csv, countries.csv, regions.csv, clusters.json, ...]
    sections: sections     # optional folder of country-scoped section files

Each entity file is named after its entity (``regions.csv`` or
``regions.json``) and holds the columns ``briefing export`` writes. Files are
imported in dependency order whatever the manifest's order, all of them or
none: every file is checked first (a file may point at records of the files
before it), every problem is reported with its file and line, and only then
is the knowledge base backed up once and written in one transaction.

A zip is unpacked into a temporary folder first, refusing anything that
could reach outside it (absolute names, ``..``, links) and archives beyond
the size and entry bounds below.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import sqlite_utils
import yaml

from briefing_app.errors import (
    ImportProblem,
    ImportValidationError,
    PackValidationError,
    StoreError,
)
from briefing_app.store import io, queries, sections
from briefing_app.store.connection import write_transaction
from briefing_app.store.entities import ENTITIES, key_column, kind_slug, spec
from briefing_app.store.import_text import FileProblem, read_import
from briefing_app.store.library import read_section
from briefing_app.store.pack_files import (
    MANIFEST,
    PACK_FORMAT,
    PackManifest,
    opened_pack,
    read_manifest,
)
from briefing_app.store.records import Section
from briefing_app.store.validation import FileValidator
from briefing_app.yaml_text import load_yaml

# What a country pack carries: the target country's records and what they
# cite. Visitor profiles (the partner finder's) describe the visitors, not the
# country, and travel as an ordinary import.
PACK_ENTITIES = tuple(e for e in ENTITIES if e != "profiles")


@dataclass(frozen=True)
class PackResult:
    """What an import or export of a pack did: records per entity, sections."""

    manifest: PackManifest
    counts: dict[str, int] = field(default_factory=dict)
    sections: int = 0


# -- reading a pack -------------------------------------------------------------


def _inside(folder: Path, name: str) -> Path | None:
    """``folder/name`` when it is a plain file or folder inside the pack, else None."""
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or "\\" in name:
        return None
    path = folder.joinpath(*relative.parts)
    if path.is_symlink() or not path.resolve().is_relative_to(folder.resolve()):
        return None
    return path


def _entity_files(folder: Path, manifest: PackManifest) -> tuple[list, list]:
    """([(entity, path)] in dependency order, [(file, problems)])."""
    found: dict[str, Path] = {}
    problems: list[tuple[str, list[ImportProblem]]] = []
    for name in manifest.files:
        entity = PurePosixPath(name).stem
        path = _inside(folder, name)
        suffix = PurePosixPath(name).suffix.lower()
        if entity not in PACK_ENTITIES or suffix not in (".csv", ".json"):
            names = ", ".join(PACK_ENTITIES)
            message = f"a file must be named after its entity ({names}) as .csv or .json"
        elif path is None:
            message = "lies outside the pack or is a link; packs hold plain files"
        elif not path.is_file():
            message = "is listed in pack.yaml but missing from the pack"
        elif entity in found:
            message = f"is the second file of {entity}; a pack holds one per entity"
        else:
            found[entity] = path
            continue
        problems.append((name, [ImportProblem(0, message)]))
    return [(e, found[e]) for e in PACK_ENTITIES if e in found], problems


def _section_files(folder: Path, manifest: PackManifest) -> tuple[list, list]:
    """([(file name, ShippedSection)], [(file, problems)]) of the sections folder."""
    if not manifest.sections:
        return [], []
    where = _inside(folder, manifest.sections)
    if where is None or not where.is_dir():
        return [], [(manifest.sections, [ImportProblem(0, "is not a folder of the pack")])]
    found, problems = [], []
    for path in sorted(where.rglob("*.md")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            problems.append((name, [ImportProblem(0, "is a link; packs hold plain files")]))
            continue
        try:
            found.append((name, read_section(path)))
        except StoreError as exc:
            problems.append((name, [ImportProblem(0, str(exc))]))
    return found, problems


# -- import -----------------------------------------------------------------------


def _one(name: str, message: str) -> tuple[str, list[ImportProblem]]:
    """One problem of a whole file of the pack."""
    return name, [ImportProblem(0, message)]


def validate_pack(db: sqlite_utils.Database, folder: Path) -> tuple[PackManifest, list, list]:
    """Check every file of the pack in ``folder`` without writing anything.

    Returns (manifest, [(entity, file name, text, format)], [(name, section)]);
    each file is read once, and what is written later is parsed from the very
    text checked here. Raises PackValidationError listing every problem of
    every file.
    """
    manifest = read_manifest(folder)
    files, problems = _entity_files(folder, manifest)
    checked = []
    written: dict[str, set[str]] = {}  # keys the earlier files of the pack write
    region_country: dict[str, str] = {}
    for entity, path in files:
        name = path.relative_to(folder).as_posix()
        validator = FileValidator(db, entity)
        for target, keys in written.items():
            validator.also_known(target, keys, region_country if target == "regions" else None)
        fmt = io.detect_format(path)
        try:
            text = read_import(path)
            io.validate_text(db, entity, text, fmt, name, validator)
            checked.append((entity, name, text, fmt))
        except FileProblem as exc:
            problems.append((name, [exc.problem]))
        except ImportValidationError as exc:
            problems.append((name, exc.problems))
        written[entity] = set(validator.file_keys)
        region_country.update(validator.file_region_country)
    known_iso = queries.slugs(db, "countries", key_column("countries"))
    if manifest.country not in known_iso | written.get("countries", set()):
        problems.append(
            _one(
                MANIFEST,
                f"country {manifest.country!r} is neither in the pack nor in the knowledge base",
            )
        )
    found_sections, section_problems = _section_files(folder, manifest)
    problems += section_problems
    shipped = dict(db.conn.execute("SELECT slug, shipped_body FROM sections"))
    for name, section in found_sections:
        own = _section_problems(db, section, written)
        if own:
            problems.append((name, own))
        if shipped.get(section.slug):
            problems.append(
                _one(
                    name,
                    f"key {section.slug!r} is a built-in section; give the country's own "
                    "text a key of its own",
                )
            )
    if problems:
        raise PackValidationError(problems)
    return manifest, checked, found_sections


def _section_problems(db, section, written: dict[str, set[str]]) -> list[ImportProblem]:
    """What is wrong in a pack's section file: a template that does not parse
    (with its line in the file), a sector, region or partnership it applies to
    that neither the knowledge base nor the pack holds."""
    problems = []
    text = section.path.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), -1)
    masked = "\n" * (end + 1) + "\n".join(lines[end + 1 :])  # lines count as in the file
    import jinja2  # here: only a pack with sections needs it

    try:
        jinja2.Environment().parse(masked)
    except jinja2.TemplateSyntaxError as exc:
        problems.append(ImportProblem(exc.lineno or 0, f"template: {exc.message}"))
    for column in ("sectors", "regions", "partnerships"):
        known = queries.slugs(db, column) | written.get(column, set())
        for slug in getattr(section, column):
            if slug not in known:
                problems.append(ImportProblem(0, f"unknown {column[:-1]} {slug!r}", column))
    return problems


def import_pack(db: sqlite_utils.Database, db_path: Path, path: Path, before_write=None):
    """Import the pack at ``path`` (folder or zip), all or nothing; a PackResult.

    ``before_write`` (the backup) runs once, after every check and before
    the one write transaction.
    """
    with opened_pack(Path(path)) as folder:
        manifest, files, found_sections = validate_pack(db, folder)
        if before_write:
            before_write()
        counts: dict[str, int] = {}
        with write_transaction(db, db_path, f"importing the pack {Path(path).name}"):
            for entity, _name, text, fmt in files:
                counts[entity] = io.write_text_rows(db, entity, text, fmt)
            for _name, shipped in found_sections:
                _save_pack_section(db, shipped)
    return PackResult(manifest, counts, len(found_sections))


def _save_pack_section(db: sqlite_utils.Database, shipped) -> None:
    """A pack's section as a user section: its whole text, front matter and all,
    so keys the store has no column for (``countries``, ``variant_of``) stay."""
    text = shipped.path.read_text(encoding="utf-8-sig")
    row = db.conn.execute("SELECT version FROM sections WHERE slug = ?", (shipped.slug,)).fetchone()
    record = Section(
        slug=shipped.slug,
        title=shipped.title,
        body=text,
        sectors=shipped.sectors,
        regions=shipped.regions,
        partnerships=shipped.partnerships,
    )
    sections.save_section(db, record, row[0] if row else None, note="imported from a pack")


# -- export -----------------------------------------------------------------------


def pack_records(db: sqlite_utils.Database, iso: str) -> dict[str, list]:
    """The records a pack of country ``iso`` holds, per entity, in export order."""
    chosen: dict[str, list] = {
        "countries": queries.load(db, "countries", "iso_code = ?", (iso,)),
        "regions": queries.load(db, "regions", "country = ?", (iso,)),
    }
    for entity in ("clusters", "policies", "organisations", "indicators"):
        chosen[entity] = queries.load(db, entity, "country = ?", (iso,))
    chosen["partnerships"] = [
        p for p in queries.load(db, "partnerships") if iso in p.target_countries
    ]
    used: dict[str, set[str]] = {"sectors": set(), "sources": set()}
    for entity, found in chosen.items():
        pointers = _pointers(entity)
        for record in found:
            for name, target in pointers:
                value = getattr(record, name)
                used[target].update(value if isinstance(value, tuple) else (value,))
    used_sectors, used_sources = used["sectors"] - {""}, used["sources"] - {""}
    sectors = {s.slug: s for s in queries.load(db, "sectors")}
    for slug in list(used_sectors):  # parents too: a sector's parent must exist
        while slug in sectors and sectors[slug].parent and sectors[slug].parent not in used_sectors:
            slug = sectors[slug].parent
            used_sectors.add(slug)
    chosen["sectors"] = [s for s in sectors.values() if s.slug in used_sectors]
    chosen["sectors"].sort(key=lambda s: (s.name.casefold(), s.slug))
    chosen["sources"] = [s for s in queries.load(db, "sources") if s.slug in used_sources]
    used_kinds = {
        kind_slug(entity, getattr(record, spec(entity).kind_field))
        for entity, found in chosen.items()
        if spec(entity).kind_field
        for record in found
    }  # every kind the records use, so the pack imports anywhere on its own
    chosen["kinds"] = [k for k in queries.load(db, "kinds") if k.slug in used_kinds]
    return {e: chosen[e] for e in PACK_ENTITIES}


def _pointers(entity: str) -> list[tuple[str, str]]:
    """(field, "sectors" or "sources") for every field of ``entity`` pointing
    at a sector or a source (``source``, ``sources``, ``position_source`` ...)."""
    sp = spec(entity)
    found = [(name, target) for name, target in sp.refs.items() if target in ("sectors", "sources")]
    found += [
        (name, link.target)
        for name, link in sp.links.items()
        if link.target in ("sectors", "sources")
    ]
    return found


def country_sections(db: sqlite_utils.Database, iso: str) -> list[Section]:
    """User sections whose front matter names ``iso`` among its ``countries``."""
    found = []
    for section in sections.all_sections(db):
        meta = _front_matter(section.body)
        countries = meta.get("countries") or ()
        countries = (countries,) if isinstance(countries, str) else countries
        if iso in [str(c) for c in countries]:
            found.append(section)
    return found


def _front_matter(text: str) -> dict:
    lines = text.removeprefix("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        return {}
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            with contextlib.suppress(yaml.YAMLError):
                meta = load_yaml("\n".join(lines[1:end]))
                return meta if isinstance(meta, dict) else {}
            return {}
    return {}


def export_pack(
    db: sqlite_utils.Database,
    iso: str,
    target: Path,
    fmt: str = "csv",
    about: dict | None = None,
) -> PackResult:
    """Write the pack of country ``iso`` to ``target`` (a folder, or a file
    ending in .zip), whole or not at all; ``about`` fills the manifest
    (name, version, licence, authors)."""
    if fmt not in io.FORMATS:
        raise StoreError(f"unknown pack format {fmt!r}; use csv or json")
    records = pack_records(db, iso)
    if not records["countries"]:
        raise StoreError(f"no country with ISO code {iso!r} to export")
    about = dict(about or {})
    country = records["countries"][0]
    found_sections = country_sections(db, iso)
    files = [f"{e}.{fmt}" for e in PACK_ENTITIES if records[e]]
    manifest = PackManifest(
        country=iso,
        name=str(about.get("name") or country.name),
        version=str(about.get("version") or dt.date.today().strftime("%Y.%m.%d")),
        date=dt.date.today().isoformat(),
        licence=str(about.get("licence") or ""),
        authors=tuple(about.get("authors") or ()),
        files=tuple(files),
        sections="sections" if found_sections else "",
    )
    target = Path(target)
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise StoreError(f"folder {parent} does not exist")
    try:
        with tempfile.TemporaryDirectory(prefix=".pack-", dir=parent) as tmp:
            staging = Path(tmp) / "pack"
            staging.mkdir()
            _write_pack(db, staging, manifest, records, found_sections, fmt)
            _move_pack(staging, target)
    except OSError as exc:
        raise StoreError(f"cannot write the pack {target}: {exc.strerror or exc}") from exc
    counts = {e: len(records[e]) for e in PACK_ENTITIES if records[e]}
    return PackResult(manifest, counts, len(found_sections))


def _write_pack(db, folder: Path, manifest, records, found_sections, fmt: str) -> None:
    data = {
        "format": PACK_FORMAT,
        "country": manifest.country,
        "name": manifest.name,
        "version": manifest.version,
        "date": manifest.date,
        "licence": manifest.licence,
        "authors": list(manifest.authors),
        "files": list(manifest.files),
    }
    if manifest.sections:
        data["sections"] = manifest.sections
    (folder / MANIFEST).write_text(
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    for name in manifest.files:
        entity = PurePosixPath(name).stem
        with open(folder / name, "w", encoding="utf-8", newline="") as handle:
            io.write_export(db, entity, handle, fmt, records[entity])
    if found_sections:
        (folder / "sections").mkdir()
        for section in found_sections:
            text = section.body
            if not _front_matter(text):
                text = f"---\nkey: {section.slug}\ntitle: {section.title!r}\n---\n{text}"
            (folder / "sections" / f"{section.slug}.md").write_text(text, encoding="utf-8")


def _move_pack(staging: Path, target: Path) -> None:
    """The staged pack to ``target``: zipped when it ends in .zip, else a folder
    (which must be new or empty: a pack is never mixed with other files)."""
    if target.suffix.lower() == ".zip":
        part = target.with_name(f".{target.name}.part")
        with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(staging.rglob("*")):
                if path.is_file():
                    zf.write(path, path.relative_to(staging).as_posix())
        os.replace(part, target)
        return
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise StoreError(f"{target} already exists and is not an empty folder; choose a new one")
    if target.exists():
        target.rmdir()
    shutil.move(str(staging), str(target))
