"""The Store: the one object the rest of the application talks to.

:func:`briefing_app.store.opening.open_store` returns one. Its methods return
typed records; every SQLite failure comes out as a StoreError naming the file.
"""

from __future__ import annotations

import contextlib
import dataclasses
from pathlib import Path

from briefing_app.errors import (
    ConflictError,
    ImportValidationError,
    NotFoundError,
    StoreError,
    unknown_message,
)
from briefing_app.store import (
    backups,
    io,
    library,
    migrations,
    queries,
    search,
    sections,
    writer,
)
from briefing_app.store.connection import translated, write_transaction
from briefing_app.store.entities import ENTITIES, spec
from briefing_app.store.read_cache import ReadCache
from briefing_app.store.records import (
    Blueprint,
    Briefing,
    Cluster,
    Country,
    Indicator,
    Organisation,
    Partnership,
    Policy,
    Region,
    Section,
    SectionVersion,
    Sector,
    Source,
)
from briefing_app.store.search import SearchHit
from briefing_app.store.store_files import FilesMixin
from briefing_app.store.validation import FileValidator
from briefing_app.store.vocabulary import Vocabulary, vocabulary

# Entities whose lists take country, region and sector filters.
FILTERABLE = ("clusters", "policies", "organisations", "indicators")


class Store(FilesMixin):
    """An open knowledge base. Use as a context manager or call :meth:`close`."""

    def __init__(self, db, path: Path, keep_backups: int = backups.DEFAULT_KEEP, lock=None):
        self.db = db
        self.path = path
        self.keep_backups = keep_backups
        # Whole tables and the section library, kept until the file changes.
        self._cache = ReadCache(db)
        # This process's hold on the file (lockfile.SharedLock): restore waits for it.
        self._lock = lock

    # -- lifetime -----------------------------------------------------------
    def close(self) -> None:
        try:
            self.db.close()
        finally:
            if self._lock is not None:
                self._lock.release()

    def change_stamp(self) -> tuple[int, int]:
        """A token that differs after any write to the file, by this store or
        any other connection (another window, thread or process).

        Cheap (one PRAGMA, no table read): windows poll it to know when to
        refresh what they show. Compare tokens of the same store only.
        """
        with self._reading():
            return self._cache.marker()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _reading(self):
        return translated(self.path, "reading")

    @contextlib.contextmanager
    def _writing(self, doing: str):
        try:
            with write_transaction(self.db, self.path, doing):
                yield
        finally:
            # Reads made inside the transaction may be of rows it then rolled back.
            self._cache.clear()

    def _cached(self, key: tuple, compute):
        with self._reading():
            return self._cache.get(key, compute)

    @property
    def schema_version(self) -> int:
        with self._reading():
            return migrations.schema_version(self.db)

    # -- generic records ------------------------------------------------------
    def records(self, entity: str) -> list:
        """Every record of one of :data:`ENTITIES`, sorted by name.

        Kept until the database changes: a briefing rebuilt after each click
        reads the same tables again.
        """
        spec(entity)
        return list(self._cached(("records", entity), lambda: queries.load(self.db, entity)))

    def vocabulary(self) -> Vocabulary:
        """What each kind of region, cluster, partnership, organisation and
        policy level means (store/vocabulary.py); kept until the file changes."""
        return vocabulary(self)

    def derived(self, key: tuple, compute):
        """A value worked out from the store's records, kept like whole tables
        until the file changes (``key`` names it; ``compute`` makes it).

        Shared by every caller until then: ``compute`` must return something
        nobody changes afterwards.
        """
        return self._cached(("derived", *key), compute)

    def get(self, entity: str, slug: str):
        """One record; NotFoundError if the slug is unknown."""
        spec(entity)
        with self._reading():
            every = self._cache.peek(("records", entity))
            if every is not None:  # the whole table is at hand: no query
                found = self._cache.get(
                    ("by-slug", entity), lambda: {r.slug: r for r in every}
                ).get(slug)
            else:
                found = queries.get(self.db, entity, slug)
        if found is None:
            with self._reading():  # the slugs alone: no records built for a message
                known = sorted(queries.slugs(self.db, entity))
            raise NotFoundError(unknown_message(f"{entity} record with slug", slug, known))
        return found

    def upsert(self, entity: str, record, expected=None) -> None:
        """Insert or replace one record, with the same checks as an import.

        ``expected`` is the record as the caller last read it: when given, a
        ConflictError is raised if the stored record differs from it (someone
        else changed it meanwhile).
        """
        sp = spec(entity)
        if not isinstance(record, sp.record):
            raise StoreError(
                f"{entity} holds {sp.record.__name__} records, not {type(record).__name__}"
            )
        cells = io.record_cells(entity, record)
        with self._writing(f"saving {record.slug}"):
            validator = FileValidator(self.db, entity)
            values = validator.check_row(1, cells)
            problems = validator.finish()
            if problems:  # one record: its "line 1" would only confuse
                raise ImportValidationError(
                    [dataclasses.replace(p, line=0) for p in problems],
                    f"{entity} {record.slug!r}",
                    nothing="saved",
                )
            if expected is not None:
                current = queries.get(self.db, entity, expected.slug)
                if current != expected:
                    raise ConflictError(
                        f"{entity} {expected.slug!r} was changed elsewhere since you opened it; "
                        "reload it and apply your change again"
                    )
            row_writer = writer.RowWriter(self.db, entity)
            row_writer.write(values)  # normalised as an import would store them
            row_writer.finish()

    def delete(self, entity: str, slug: str) -> None:
        """Delete one record; StoreError if other records still point at it."""
        spec(entity)
        with self._writing(f"deleting {slug}"):
            writer.delete(self.db, entity, slug)

    # -- places -----------------------------------------------------------------
    def countries(self) -> list[Country]:
        return self.records("countries")

    def country(self, code_or_slug: str) -> Country:
        """A country by ISO code, slug or name."""
        with self._reading():
            slug = queries.find_country(self.db, code_or_slug)
        if slug is None:
            known = self.countries()
            message = unknown_message(
                "country", code_or_slug, [c.iso_code for c in known] + [c.name for c in known]
            )
            listed = ", ".join(f"{c.iso_code} ({c.name})" for c in known[:20])
            more = f" and {len(known) - 20} more" if len(known) > 20 else ""
            end = "" if message.endswith("?") else "."
            raise NotFoundError(f"{message}{end} Known countries: {listed}{more}.")
        return self.get("countries", slug)

    def _iso(self, country: str | None) -> str | None:
        return self.country(country).iso_code if country else None

    def regions(self, country: str | None = None, kind: str | None = None) -> list[Region]:
        iso = self._iso(country)
        return [
            r
            for r in self.records("regions")
            if (iso is None or r.country == iso) and (kind is None or r.kind == kind)
        ]

    def region(self, slug: str) -> Region:
        return self.get("regions", slug)

    def resolve_region(self, text: str) -> Region:
        """A region by slug, name or local name (any case)."""
        with self._reading():
            slug = queries.find_region(self.db, text)
        if slug is None:
            known = [r.slug for r in self.records("regions")]
            raise NotFoundError(unknown_message("region", text, known))
        return self.region(slug)

    def region_members(self, slug: str) -> list[Region]:
        self.region(slug)
        with self._reading():
            return queries.region_members(self.db, slug)

    def region_scope(self, slug: str) -> set[str]:
        self.region(slug)
        with self._reading():
            return queries.region_scope(self.db, slug)

    # -- sectors ----------------------------------------------------------------
    def sectors(self) -> list[Sector]:
        return self.records("sectors")

    def sector(self, slug: str) -> Sector:
        return self.get("sectors", slug)

    def sector_scope(self, slug: str) -> set[str]:
        self.sector(slug)
        with self._reading():
            return queries.sector_scope(self.db, slug)

    def resolve_sector(self, text: str) -> Sector:
        """A sector by slug, name or alias (any case)."""
        with self._reading():
            slug = queries.find_sector(self.db, text)
        if slug is None:
            known = [r.slug for r in self.records("sectors")]
            raise NotFoundError(unknown_message("sector or alias", text, known))
        return self.sector(slug)

    # -- facts ------------------------------------------------------------------
    def _filtered(
        self, entity: str, country=None, region=None, sector=None, fields=None, **equal
    ) -> list:
        iso = self._iso(country)
        regions = self.region_scope(region) if region else None
        sectors = self.sector_scope(sector) if sector else None
        with self._reading():
            return queries.filtered(self.db, entity, iso, regions, sectors, equal, fields)

    def listing(
        self, entity: str, fields: tuple[str, ...], country=None, region=None, sector=None
    ) -> list[tuple]:
        """Some fields of the records a filtered list holds, as tuples, in its order.

        ``store.listing("clusters", ("slug", "name"), region="zhejiang")`` gives
        what ``store.clusters(region="zhejiang")`` would, reduced to two
        fields, without building the records: what a list on screen needs.
        Filters as for the entity's own list method (clusters, policies,
        organisations and indicators take all three).
        """
        if entity not in FILTERABLE:
            raise StoreError(
                f"{entity} have no filtered listing; use records() (filterable: "
                f"{', '.join(FILTERABLE)})"
            )
        return self._filtered(entity, country, region, sector, fields=tuple(fields))

    def clusters(self, country=None, region=None, sector=None, kind=None) -> list[Cluster]:
        """Clusters, optionally within a region's scope and a sector's scope."""
        return self._filtered("clusters", country, region, sector, kind=kind)

    def partnerships(self, country=None, sector=None, kind=None) -> list[Partnership]:
        """Partnerships, optionally those targeting ``country`` (ISO code or slug)."""
        iso = self._iso(country)
        return [
            p
            for p in self._filtered("partnerships", None, None, sector, kind=kind)
            if iso is None or iso in p.target_countries
        ]

    def policies(self, country=None, region=None, sector=None, level=None) -> list[Policy]:
        """Policies; ``region`` keeps those whose region lies in its scope."""
        return self._filtered("policies", country, region, sector, level=level)

    def organisations(self, country=None, region=None, sector=None) -> list[Organisation]:
        return self._filtered("organisations", country, region, sector)

    def indicators(self, country=None, region=None, sector=None, series=None) -> list[Indicator]:
        return self._filtered("indicators", country, region, sector, series=series)

    def sources(self) -> list[Source]:
        return self.records("sources")

    def source(self, slug: str) -> Source:
        return self.get("sources", slug)

    def count_clusters_by_sector(self, country, region=None) -> dict[str, int]:
        """Clusters per sector slug; a sector counts the clusters of its sub-sectors too.

        A cluster is counted once per sector key even when several of its
        sectors fall under that key. Keys with no clusters are left out.
        """
        iso = self._iso(country)
        regions = self.region_scope(region) if region else None
        with self._reading():
            scopes = queries.sector_scopes(self.db)
            return queries.count_in_sector_scopes(self.db, "clusters", iso, regions, scopes)

    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Clusters, policies, organisations and sections whose text holds every word."""
        with self._reading():
            return search.query(self.db, text, limit)

    # -- sections, blueprints, briefings ----------------------------------------
    def sections(self) -> list[Section]:
        """Every section, by slug; kept until the database changes."""
        return list(self._cached(("sections",), lambda: sections.all_sections(self.db)))

    def section(self, slug: str) -> Section:
        with self._reading():
            return sections.get_section(self.db, slug)

    def save_section(self, section: Section, expected_version: int | None) -> Section:
        """Save a new version; ConflictError if the stored version is not ``expected_version``."""
        with self._writing(f"saving section {section.slug}"):
            return sections.save_section(self.db, section, expected_version)

    def section_history(self, slug: str) -> list[SectionVersion]:
        with self._reading():
            return sections.section_history(self.db, slug)

    def restore_section_default(self, slug: str) -> Section:
        """Make the shipped text current again, as a new version (history is kept)."""
        with self._writing(f"restoring section {slug}"):
            current = sections.get_section(self.db, slug)
            restored = dataclasses.replace(current, body=current.shipped_body)
            return sections.save_section(
                self.db, restored, current.version, note="restored default"
            )

    def blueprints(self) -> list[Blueprint]:
        return list(self._cached(("blueprints",), lambda: sections.all_blueprints(self.db)))

    def blueprint(self, slug: str) -> Blueprint:
        try:
            with self._reading():
                return sections.get_blueprint(self.db, slug)
        except NotFoundError:
            known = [b.slug for b in self.blueprints()]
            message = unknown_message("blueprint", slug, known)
            end = "" if message.endswith("?") else "."
            raise NotFoundError(f"{message}{end} Blueprints: {', '.join(known)}.") from None

    def save_blueprint(self, blueprint: Blueprint) -> None:
        with self._writing(f"saving blueprint {blueprint.slug}"):
            sections.save_blueprint(self.db, blueprint)

    def briefings(self) -> list[Briefing]:
        with self._reading():
            return sections.all_briefings(self.db)

    def briefing(self, slug: str) -> Briefing:
        with self._reading():
            return sections.get_briefing(self.db, slug)

    def save_briefing(self, briefing: Briefing, expected: Briefing | None = None) -> Briefing:
        """Save a briefing; ConflictError if it changed since ``expected`` was read."""
        with self._writing(f"saving briefing {briefing.slug}"):
            return sections.save_briefing(self.db, briefing, expected)

    def delete_briefing(self, slug: str) -> None:
        with self._writing(f"deleting briefing {slug}"):
            sections.delete_briefing(self.db, slug)

    def sync_library(self, sections_dir: Path, blueprints_dir: Path) -> int:
        """Bring shipped sections and blueprints into the database; how many changed.

        The usual case reads no file and takes no write lock: the folders'
        listing (paths, sizes, modification times) is what the database
        recorded at the last full comparison, and no section or blueprint
        changed since. Otherwise every file is read and compared.
        """
        digest = library.listing_digest(sections_dir, blueprints_dir)
        if digest is not None:
            with self._reading():
                if sections.listing_is_recorded(self.db, digest):
                    return 0
        shipped_sections = library.shipped_sections(sections_dir)
        shipped_blueprints = library.shipped_blueprints(blueprints_dir)
        with self._reading():
            current = sections.library_is_current(self.db, shipped_sections, shipped_blueprints)
        if current:
            if digest is not None:
                self._record_listing(digest, shipped_sections, shipped_blueprints)
            return 0
        with self._writing("updating the section library"):
            changed = sections.sync_shipped_sections(
                self.db, shipped_sections
            ) + sections.sync_shipped_blueprints(self.db, shipped_blueprints)
            if digest is not None:
                sections.record_listing(self.db, digest)  # after the writes, which forget it
            return changed

    def _record_listing(self, digest: str, shipped: list, blueprints: list) -> None:
        """Record the listing if the write lock is free now (it is only a
        shortcut for the next opening, not worth waiting for another writer)
        and the library still matches inside the write."""
        conn = self.db.conn
        (waited,) = conn.execute("PRAGMA busy_timeout").fetchone()
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            with contextlib.suppress(StoreError), self._writing("recording the library listing"):
                if sections.library_is_current(self.db, shipped, blueprints):
                    sections.record_listing(self.db, digest)
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(waited)}")

    def counts(self) -> dict[str, int]:
        """Number of records per entity."""
        with self._reading():
            return {
                e: self.db.conn.execute(f"SELECT count(*) FROM [{e}]").fetchone()[0]
                for e in ENTITIES
            }
