"""The Store's files: imports, exports, packs, backups, the integrity check
and updates from the shipped knowledge base (a mixin of
:class:`briefing_app.store.store.Store`, which provides ``db``, ``path``,
``keep_backups``, ``_cache``, ``_reading``, ``_writing`` and ``country``)."""

from __future__ import annotations

import contextlib
from pathlib import Path

from briefing_app import paths
from briefing_app.errors import StoreError
from briefing_app.store import (
    backups,
    io,
    migrations,
    packs,
    shipped_marks,
    shipped_update,
    stored_text,
)
from briefing_app.store.connection import refuse_own_file, translated
from briefing_app.store.entities import spec


class FilesMixin:
    def import_file(self, entity: str, path: Path | str) -> int:
        """Import a CSV or JSON file of ``entity``: all rows or none; the row count.

        Every row is checked first (ImportValidationError lists every problem
        with its line); then the database is backed up and the rows written in
        one transaction. A slug already in the database is updated.
        """
        spec(entity)
        refuse_own_file(self.path, Path(path), "imported")
        with translated(self.path, f"importing {Path(path).name}"), self._cache_cleared():
            return io.import_file(
                self.db,
                self.path,
                entity,
                Path(path),
                before_write=lambda: self.backup("before-import"),
            )

    def import_pack(self, path: Path | str) -> packs.PackResult:
        """Import a country pack (folder or .zip): every file or none.

        Every file is checked first (PackValidationError names each problem's
        file and line); then one backup, then one write transaction.
        """
        with translated(self.path, f"importing {Path(path).name}"), self._cache_cleared():
            return packs.import_pack(
                self.db, self.path, Path(path), before_write=lambda: self.backup("before-pack")
            )

    def export_pack(
        self, country: str, target: Path | str, fmt: str = "csv", about: dict | None = None
    ) -> packs.PackResult:
        """Write the pack of ``country`` (its records, the sources and sectors they
        use, its own sections) to a folder or a .zip file."""
        iso = self.country(country).iso_code
        with self._reading():
            return packs.export_pack(self.db, iso, Path(target), fmt, about)

    @contextlib.contextmanager
    def _cache_cleared(self):
        try:
            yield
        finally:
            self._cache.clear()

    def read_file(self, entity: str, path: Path | str) -> list:
        """The records of a CSV or JSON file of ``entity``, checked as an
        import checks them, without writing them (ImportValidationError)."""
        spec(entity)
        with translated(self.path, f"reading {Path(path).name}"), self._reading():
            return io.read_records(self.db, entity, Path(path))

    def export_file(self, entity: str, path: Path | str, fmt: str = "csv") -> int:
        """Write every record of ``entity`` to ``path`` as CSV or JSON; the count."""
        spec(entity)
        if fmt not in io.FORMATS:
            raise StoreError(f"unknown export format {fmt!r}; use csv or json")
        refuse_own_file(self.path, Path(path), "overwritten by an export")
        with self._reading():
            return io.export_file(self.db, entity, Path(path), fmt)

    def export_to(self, entity: str, handle, fmt: str = "csv") -> int:
        """Like :meth:`export_file` but into an open text handle (e.g. stdout)."""
        spec(entity)
        if fmt not in io.FORMATS:
            raise StoreError(f"unknown export format {fmt!r}; use csv or json")
        with self._reading():
            return io.write_export(self.db, entity, handle, fmt)

    def backup(self, reason: str = "manual") -> Path:
        """A complete copy in the backups folder; old ones beyond ``keep_backups`` go."""
        return backups.take_backup(self.db.conn, self.path, reason, self.keep_backups)

    def check(self) -> list[str]:
        """Problems found by a full integrity and foreign-key check (empty when fine)."""
        with self._reading():
            problems = [
                r[0] for r in self.db.conn.execute("PRAGMA integrity_check") if r[0] != "ok"
            ]
            for table, rowid, parent, _fk in self.db.conn.execute("PRAGMA foreign_key_check"):
                problems.append(f"{table} row {rowid} points at a missing {parent} record")
            problems += [
                f"unknown schema change {n!r} (newer program?)"
                for n in migrations.applied(self.db)
                if n not in migrations.KNOWN
            ]
            # text another program wrote: bytes not UTF-8, control characters...
            problems += stored_text.problems(self.db)
        return problems

    # -- the shipped knowledge base ---------------------------------------------------
    # The seed folder this store was opened with (open_store sets it); None: the shipped one.
    seed_dir: Path | None = None

    def _shipped_seed(self) -> Path:
        return self.seed_dir if self.seed_dir is not None else paths.seed_dir()

    def shipped_news(self) -> bool:
        """Whether the shipped knowledge base has facts this file has not taken
        yet (`briefing db update-shipped`); cheap: one query, the seed's hash cached."""
        with self._reading():
            return shipped_marks.news(self.db, self._shipped_seed())

    def update_shipped(
        self, dry_run: bool = False, take: frozenset[tuple[str, str]] = frozenset()
    ) -> shipped_update.UpdateReport:
        """Bring the shipped records in, keeping every record the user changed,
        added or deleted (store/shipped_update.py); all or nothing, after a
        backup. A dry run changes nothing and reports the same. ``take``:
        (entity, slug) pairs whose shipped version the user asked for."""
        with (
            translated(self.path, "updating from the shipped knowledge base"),
            self._cache_cleared(),
        ):
            return shipped_update.update(
                self.db,
                self.path,
                self._shipped_seed(),
                dry_run,
                before_write=lambda: self.backup("before-update-shipped"),
                take=take,
            )
