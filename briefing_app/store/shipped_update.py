"""Update a database from the shipped knowledge base, keeping the user's work.

``briefing db update-shipped`` (``Store.update_shipped``) merges the records
of ``db/seed`` into the user's database three ways, per (entity, slug), with
the fingerprints :mod:`shipped_marks` recorded when the database was built
or last updated:

- shipped now, absent from the database and never shipped before: added;
- present and as shipped last time (fingerprint unchanged): replaced by the
  new shipped version;
- present and changed by the user: kept, and reported with the fields that
  differ from the shipped version;
- shipped before and deleted by the user: stays deleted;
- shipped before, no longer shipped (a merged duplicate) and unchanged:
  removed, unless another record still points at it (then kept, reported).

A database made before fingerprints were kept (nothing recorded) cannot tell
the user's edits from old shipped values, so its first update only adds
missing records and fills empty fields (a value is never overwritten), and
reports the records that differ. Either way the fingerprints of the new
shipped records are recorded afterwards.

The seed is read by building it into a temporary database (the same checks
and normalisation as a user's import), before the write lock is taken; then
one ``BEGIN IMMEDIATE`` transaction plans, writes and records: all or
nothing. A dry run does the same and rolls back, so what it reports is
exactly what an update would do.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from briefing_app.errors import ImportValidationError, StoreError
from briefing_app.store import io, queries, shipped_marks, writer
from briefing_app.store.connection import connect, write_transaction
from briefing_app.store.entities import ENTITIES, spec
from briefing_app.store.seed import build_database, seed_files
from briefing_app.store.validation import FileValidator

Records = dict[str, dict[str, object]]  # entity -> slug -> record


@dataclass
class Kept:
    """A record the update left as the user has it, and why."""

    entity: str
    slug: str
    why: str
    fields: tuple[str, ...] = ()  # fields that differ from the shipped version

    def line(self) -> str:
        differs = f": {', '.join(self.fields)}" if self.fields else ""
        return f"{self.entity} {self.slug} ({self.why}){differs}"


@dataclass
class Tally:
    added: int = 0
    updated: int = 0
    filled: int = 0
    removed: int = 0
    kept: int = 0
    left_deleted: int = 0

    def words(self) -> str:
        parts = [
            (self.added, "added"),
            (self.updated, "updated"),
            (self.filled, "with empty fields filled"),
            (self.removed, "removed"),
            (self.kept, "kept as yours"),
            (self.left_deleted, "left deleted"),
        ]
        return ", ".join(f"{n} {what}" for n, what in parts if n)


@dataclass
class UpdateReport:
    """What an update did (or, for a dry run, would do)."""

    first: bool  # the database was made before shipped records were tracked
    dry_run: bool
    tallies: dict[str, Tally] = field(default_factory=dict)
    kept: list[Kept] = field(default_factory=list)
    left_deleted: list[tuple[str, str]] = field(default_factory=list)
    backup: Path | None = None

    def tally(self, entity: str) -> Tally:
        return self.tallies.setdefault(entity, Tally())

    @property
    def changes(self) -> int:
        """Records added, replaced, filled or removed."""
        return sum(t.added + t.updated + t.filled + t.removed for t in self.tallies.values())

    def lines(self, limit: int | None = 25) -> list[str]:
        """The short plain summary: counts per entity, then the kept records
        (at most ``limit`` of them named; None names all)."""
        if self.dry_run:
            out = ["Dry run: nothing was changed. The update would make these changes:"]
        else:
            out = ["Updated from the shipped knowledge base."]
        if self.first:
            out.append(
                "This knowledge base was made before shipped records were tracked: a record "
                "still as an earlier version shipped it is updated; any other only gains "
                "missing records and empty fields, so no value of yours is overwritten."
            )
        counted = [(e, self.tallies[e].words()) for e in ENTITIES if e in self.tallies]
        counted = [(entity, words) for entity, words in counted if words]
        out += [f"  {entity}: {words}" for entity, words in counted] or ["  nothing to change"]
        if self.kept:
            out.append("Kept your version (fields that differ from the shipped one):")
            shown = self.kept if limit is None else self.kept[:limit]
            out += [f"  {k.line()}" for k in shown]
            if len(shown) < len(self.kept):
                out.append(f"  ... and {len(self.kept) - len(shown)} more (--all lists them)")
        if self.backup is not None:
            out.append(f"A backup was taken first: {self.backup}")
        return out


@dataclass
class _Write:
    record: object
    action: str  # "added", "updated" or "filled"
    before: str | None  # the recorded fingerprint to keep if the write cannot be made


@dataclass
class _Plan:
    report: UpdateReport
    writes: dict[str, list[_Write]] = field(default_factory=dict)
    removals: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # slug, fingerprint
    shipped: dict[tuple[str, str], str] = field(default_factory=dict)  # to record afterwards


class _DryRun(Exception):
    """Raised inside the transaction of a dry run, so that it rolls back."""


def read_seed(seed_dir: Path) -> Records:
    """The shipped records, checked and normalised as an import would store them."""
    with tempfile.TemporaryDirectory(prefix="briefing-seed-") as folder:
        target = Path(folder) / "shipped.sqlite"
        try:
            build_database(target, seed_dir)
        except StoreError as exc:
            raise StoreError(
                f"the shipped knowledge base in {seed_dir} could not be read, so nothing "
                f"was changed: {exc}"
            ) from exc
        db = connect(target)
        try:  # what the seed files hold (not kinds a migration wrote besides)
            return _records(db, [e for e, _path in seed_files(seed_dir)])
        finally:
            db.close()


def _records(db: sqlite_utils.Database, entities=ENTITIES) -> Records:
    return {e: {r.slug: r for r in queries.load(db, e)} for e in entities}


def update(
    db: sqlite_utils.Database,
    db_path: Path,
    seed_dir: Path,
    dry_run: bool = False,
    before_write: Callable[[], Path] | None = None,
    take: frozenset[tuple[str, str]] = frozenset(),
) -> UpdateReport:
    """Merge the seed in ``seed_dir`` into the database; what was done.

    ``before_write`` (the safety backup) runs after the seed was read and
    before the write lock is taken; not for a dry run. ``take`` names
    (entity, slug) pairs whose shipped version replaces the user's (or comes
    back after the user deleted it).
    """
    if not seed_files(seed_dir):
        raise StoreError(f"there is no shipped knowledge base in {seed_dir}; nothing was changed")
    seed = shipped_marks.seed_fingerprint(seed_dir)
    shipped = read_seed(seed_dir)
    unknown = sorted(f"{e}/{s}" for e, s in take if s not in shipped.get(e, {}))
    if unknown:
        raise StoreError(
            f"not in the shipped knowledge base: {', '.join(unknown)}. Give ENTITY/SLUG of a "
            "shipped record, as the update lists them; nothing was changed"
        )
    backup = before_write() if before_write is not None and not dry_run else None
    try:
        with write_transaction(db, db_path, "updating from the shipped knowledge base"):
            first = shipped_marks.recorded_seed(db) is None
            plan = make_plan(
                shipped,
                _records(db),
                shipped_marks.recorded(db),
                first,
                dry_run,
                take,
                earlier=shipped_marks.earlier_versions(seed_dir),
            )
            _apply(db, plan)
            shipped_marks.save(db, plan.shipped, seed)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    plan.report.backup = backup
    return plan.report


def _differing(entity: str, mine, theirs) -> tuple[str, ...]:
    return tuple(f for f in spec(entity).fields if getattr(mine, f) != getattr(theirs, f))


def make_plan(
    shipped: Records,
    current: Records,
    recorded: dict[tuple[str, str], str],
    first: bool,
    dry_run: bool,
    take: frozenset[tuple[str, str]] = frozenset(),
    earlier: dict[tuple[str, str], frozenset[str]] | None = None,
) -> _Plan:
    """Decide, record by record, what the update does (nothing written).

    ``earlier`` holds the fingerprints of every earlier shipped version of
    each record (``db/shipped-history.json``): a record equal to one of them
    was never edited, even in a database that recorded nothing as shipped.
    """
    plan = _Plan(UpdateReport(first=first, dry_run=dry_run))
    earlier = earlier or {}
    for entity in ENTITIES:
        new, have = shipped.get(entity, {}), current.get(entity, {})
        for slug in sorted(new):
            if (entity, slug) in take:
                _plan_taken(plan, entity, new[slug], have.get(slug), recorded)
                continue
            _plan_shipped(plan, entity, new[slug], have.get(slug), recorded, first, earlier)
        for slug in sorted(set(have) - set(new)):
            now = shipped_marks.fingerprint(entity, have[slug])
            if now in earlier.get((entity, slug), ()):  # an old shipped version, never edited
                plan.removals.setdefault(entity, []).append((slug, now))
                continue
            known = recorded.get((entity, slug))
            if known is None:
                continue  # the user's own record (or, before fingerprints, unknown)
            if known == now:
                plan.removals.setdefault(entity, []).append((slug, known))
            else:
                plan.report.kept.append(Kept(entity, slug, "no longer shipped; edited by you"))
                plan.report.tally(entity).kept += 1
    return plan


def _plan_shipped(plan: _Plan, entity: str, new, mine, recorded, first: bool, earlier) -> None:
    """What happens to one shipped record."""
    key = (entity, new.slug)
    fresh = shipped_marks.fingerprint(entity, new)
    plan.shipped[key] = fresh
    writes = plan.writes.setdefault(entity, [])
    if mine is None:
        if not first and key in recorded:  # shipped before, deleted by the user
            plan.report.left_deleted.append(key)
            plan.report.tally(entity).left_deleted += 1
        else:
            writes.append(_Write(new, "added", None))
        return
    now = shipped_marks.fingerprint(entity, mine)
    if now == fresh:
        return
    if recorded.get(key) == now or now in earlier.get(key, ()):  # as shipped once: take the new
        writes.append(_Write(new, "updated", now))
        return
    if first:
        fill = {
            f: getattr(new, f)
            for f in spec(entity).fields
            if shipped_marks.is_empty(getattr(mine, f))
            and not shipped_marks.is_empty(getattr(new, f))
        }
        if fill:
            mine = dataclasses.replace(mine, **fill)
            writes.append(_Write(mine, "filled", None))
        differs = _differing(entity, mine, new)
        if differs:
            _keep(plan, entity, new.slug, "differs from the shipped version", differs)
        return
    why = "edited by you" if key in recorded else "yours, before it was shipped"
    _keep(plan, entity, new.slug, why, _differing(entity, mine, new))


def _plan_taken(plan: _Plan, entity: str, new, mine, recorded) -> None:
    """A record the user asked for as shipped: replaced, or back if deleted."""
    key = (entity, new.slug)
    fresh = shipped_marks.fingerprint(entity, new)
    plan.shipped[key] = fresh
    if mine is None:
        plan.writes.setdefault(entity, []).append(_Write(new, "added", None))
    elif shipped_marks.fingerprint(entity, mine) != fresh:
        plan.writes.setdefault(entity, []).append(_Write(new, "updated", recorded.get(key)))


def _keep(plan: _Plan, entity: str, slug: str, why: str, fields=()) -> None:
    plan.report.kept.append(Kept(entity, slug, why, tuple(fields)))
    plan.report.tally(entity).kept += 1


def _apply(db: sqlite_utils.Database, plan: _Plan) -> None:
    """Write the planned records entity by entity, then remove what may go."""
    for entity in ENTITIES:
        writes = plan.writes.get(entity)
        if not writes:
            continue
        row_writer = writer.RowWriter(db, entity)
        for write, values in _checked(db, entity, writes, plan):
            row_writer.write(values)
            tally = plan.report.tally(entity)
            setattr(tally, write.action, getattr(tally, write.action) + 1)
        row_writer.finish()
    for entity in reversed(ENTITIES):
        _remove(db, entity, plan.removals.get(entity, []), plan)


def _checked(db: sqlite_utils.Database, entity: str, writes: list[_Write], plan: _Plan):
    """The writes that pass an import's checks against the database as it is
    now, with their values; the others are reported and left out (a shipped
    record that points at one the user deleted, say), and so are the writes
    that pointed at those."""
    remaining = list(writes)
    while remaining:
        validator = FileValidator(db, entity)
        values = [
            validator.check_row(line, io.record_cells(entity, w.record))
            for line, w in enumerate(remaining, 1)
        ]
        problems = validator.finish()
        if not problems:
            return list(zip(remaining, values, strict=True))
        first_problem = {}
        for problem in problems:
            if not 1 <= problem.line <= len(remaining):  # not a row's: stop, write nothing
                raise ImportValidationError(problems, f"the shipped {entity}", nothing="changed")
            first_problem.setdefault(problem.line, problem)
        for line, problem in sorted(first_problem.items()):
            write = remaining[line - 1]
            key = (entity, write.record.slug)
            if write.before is None:  # not recorded before: tried again by the next update
                plan.shipped.pop(key, None)
            else:  # still the version shipped before
                plan.shipped[key] = write.before
            column = f"{problem.column}: " if problem.column else ""
            _keep(plan, entity, write.record.slug, f"not applied: {column}{problem.message}")
        remaining = [w for line, w in enumerate(remaining, 1) if line not in first_problem]
    return []


def _remove(db: sqlite_utils.Database, entity: str, pending: list, plan: _Plan) -> None:
    """Delete records no longer shipped that nothing points at; a record
    freed by an earlier deletion goes too. The others are kept and reported."""
    pending = list(pending)
    progress = True
    while pending and progress:
        progress = False
        for item in list(pending):
            if not writer.users(db, entity, item[0]):
                writer.delete(db, entity, item[0])
                plan.report.tally(entity).removed += 1
                pending.remove(item)
                progress = True
    for slug, known in pending:
        plan.shipped[(entity, slug)] = known  # removed by a later update once unused
        used = ", ".join(writer.users(db, entity, slug))
        _keep(plan, entity, slug, f"no longer shipped, but still used by {used}")
