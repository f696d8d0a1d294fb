"""The ``briefing build`` and ``briefing render-section`` commands.

    briefing build --blueprint eccp-preparatory --country CN --region pearl-river-delta \\
        --sector automotive --format docx --format pdf --output out/
    briefing render-section my-section.md --sector ict --format text
    briefing list blueprints | sections

``cli.py`` calls :func:`register` with its subparsers; handlers open the
store with ``cli.open_store_from_args`` and let ``BriefingError`` reach
``cli.main``, which prints it. A broken or hostile section template is
reported with its line and column and exit status 2.
"""

from __future__ import annotations

import argparse
import functools
import gc
import re
import sys
from dataclasses import replace
from pathlib import Path

from briefing_app.cli_cover import add_cover_options, apply_cover, cover_fields
from briefing_app.errors import BriefingError, TemplateError, unknown_message

TEMPLATE_ERROR_STATUS = 2
DEFAULT_BLUEPRINT = "eccp-preparatory"
DEFAULT_COUNTRY = "CN"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``build`` and ``render-section``, and teach ``list`` the library."""
    from briefing_app.cli import add_db_option
    from briefing_app.cli_check import add_strict_option

    p = subparsers.add_parser(
        "build",
        help="assemble a briefing and write it as Word and/or PDF",
        description="Assemble a briefing for a country (and region, sectors, partnerships) "
        "from a blueprint, and write it in the chosen formats. Prints the paths written.",
    )
    p.add_argument(
        "--blueprint",
        metavar="SLUG",
        help=f"the kind of briefing: {', '.join(_shipped_blueprints())} "
        f"(default {DEFAULT_BLUEPRINT}; `briefing list blueprints` shows every one)",
    )
    p.add_argument(
        "--saved",
        metavar="NAME",
        help="build a briefing saved in the application (its name or slug), with its "
        "selection, outline and cover; cover options still apply",
    )
    _selection_options(p)
    profile_option(p)
    p.add_argument(
        "--format",
        dest="formats",
        action="append",
        choices=("docx", "pdf"),
        help="repeat for several (default: the --output file's kind, else docx and pdf)",
    )
    p.add_argument(
        "--output",
        metavar="DIR_OR_FILE",
        help="a folder (files named after the briefing: title, sectors, partnerships) or a "
        "file path; default ./out/",
    )
    p.add_argument("--page-size", choices=("A4", "Letter"), default=None)
    add_strict_option(p)
    add_cover_options(p)
    p.add_argument(
        "--script",
        choices=("as-recorded", "simplified", "traditional"),
        help="Chinese script of the output (default: as the sources recorded it, or as "
        "the saved briefing says)",
    )
    add_db_option(p)
    p.set_defaults(handler=cmd_build)

    p = subparsers.add_parser(
        "render-section",
        help="render one section file through the template sandbox",
        description="Render a section file (Markdown with Jinja and a front matter) for a "
        "selection, as the briefing would. Template errors give line and column (exit 2).",
    )
    p.add_argument("file", help="a section file, e.g. templates/sections/core/objective.md")
    _selection_options(p)
    p.add_argument("--format", choices=("text", "html", "docx", "pdf"), default="text")
    p.add_argument(
        "--output", metavar="FILE", help="where to write (text and html default to standard output)"
    )
    add_db_option(p)
    p.set_defaults(handler=cmd_render_section)

    _extend_list(subparsers)


def _selection_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--country",
        default=None,
        metavar="ISO",
        help=f"ISO code, slug or name of the country (default {DEFAULT_COUNTRY}); "
        "`briefing list countries` shows them",
    )
    p.add_argument(
        "--region",
        default="",
        metavar="SLUG",
        help="a region slug or name (default: whole country)",
    )
    p.add_argument(
        "--sector",
        dest="sectors",
        action="append",
        default=[],
        metavar="SLUG",
        help="a sector slug, name or alias; repeat for several",
    )
    p.add_argument(
        "--partnership",
        dest="partnerships",
        action="append",
        default=[],
        metavar="SLUG",
        help="a partnership slug; repeat for several",
    )


def _selection(
    store,
    args: argparse.Namespace,
    blueprint: str = "eccp-preparatory",
    title: str = "",
    page_size: str = "A4",
):
    from briefing_app.assembly import Cover, Selection

    country = store.country(args.country or DEFAULT_COUNTRY).iso_code
    region = store.resolve_region(args.region).slug if args.region else ""
    sectors = tuple(store.resolve_sector(s).slug for s in args.sectors)
    return Selection(
        country=country,
        region=region,
        sectors=sectors,
        partnerships=tuple(args.partnerships),
        blueprint=blueprint,
        cover=Cover(title=title or ""),
        page_size=page_size,
        script=getattr(args, "script", None) or "as-recorded",
    )


def cmd_build(args: argparse.Namespace) -> int:
    # A build makes hundreds of thousands of short-lived objects and frees
    # them as it goes; the cycle collector's passes cost a tenth of a second
    # and find little. Paused for the command, restored for an in-process caller.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(args)
    finally:
        if was_enabled:
            gc.enable()


def _build(args: argparse.Namespace) -> int:
    from briefing_app.assembly import markdown_tokens
    from briefing_app.cli import open_store_from_args
    from briefing_app.cli_check import export_checked

    markdown_tokens.keep_on_disk()  # the next build, a new process, reads them back

    formats = _formats(args.output, args.formats)
    with open_store_from_args(args) as store:
        if args.saved:
            selection = _saved_selection(store, args)
        else:
            if args.blueprint is None:
                others = [s for s in _shipped_blueprints() if s != DEFAULT_BLUEPRINT]
                print(
                    f"briefing: building the {DEFAULT_BLUEPRINT} blueprint (no --blueprint given; "
                    f"others: {', '.join(others)})",
                    file=sys.stderr,
                )
            blueprint = store.blueprint(args.blueprint or DEFAULT_BLUEPRINT).slug
            selection = _selection(store, args, blueprint, "", args.page_size or "A4")
        selection = replace(selection, cover=apply_cover(selection.cover, cover_fields(args)))
        if args.profiles:  # added to those of a saved briefing
            profiles = dict.fromkeys((*selection.profiles, *args.profiles))
            selection = replace(selection, profiles=tuple(profiles))
        try:
            written, status = export_checked(
                store, selection, args.output, formats, args.strict, replacing=_say_replacing
            )
        except TemplateError as exc:
            print(f"briefing: error: {exc}", file=sys.stderr)
            return TEMPLATE_ERROR_STATUS
    for path in written:
        print(path)
    return status


def _say_replacing(path: Path) -> None:
    print(f"briefing: replacing {path}", file=sys.stderr)


def _formats(output: str | None, formats: list[str] | None) -> tuple[str, ...]:
    """The formats asked for, or the one an --output file name implies.

    ``--output brief.pdf`` alone writes a PDF; ``--output brief.pdf --format
    docx`` is a contradiction, refused rather than quietly writing brief.docx.
    """
    suffix = Path(output).suffix.lower().lstrip(".") if output and not output.endswith("/") else ""
    named = suffix if suffix in ("docx", "pdf") else ""
    if not formats:
        return (named,) if named else ("docx", "pdf")
    if named and named not in formats:
        asked = " and ".join("Word" if f == "docx" else "PDF" for f in formats)
        raise BriefingError(
            f"--output {output} names a .{named} file but --format asks for {asked}; "
            f"name the file {Path(output).with_suffix('.' + formats[0])} or add --format {named}"
        )
    return tuple(formats)


def _saved_selection(store, args: argparse.Namespace):
    """The selection of a saved briefing, found by slug or (any case) name."""
    from briefing_app.assembly import Selection
    from briefing_app.errors import NotFoundError

    clashing = [
        option
        for option, value in (
            ("--blueprint", args.blueprint),
            ("--country", args.country),
            ("--region", args.region),
            ("--sector", args.sectors),
            ("--partnership", args.partnerships),
        )
        if value
    ]
    if clashing:
        raise BriefingError(
            f"--saved builds the saved selection; leave out {', '.join(clashing)} "
            "(or open the briefing in the application to change it)"
        )
    saved = store.briefings()
    wanted = args.saved.strip().lower()
    found = [b for b in saved if b.slug == args.saved or b.name.strip().lower() == wanted]
    if not found:
        names = [b.name for b in saved]
        message = unknown_message("saved briefing", args.saved, names + [b.slug for b in saved])
        listed = ", ".join(repr(n) for n in names[:15]) or "none yet"
        raise NotFoundError(f"{message} Saved briefings: {listed}.")
    selection = Selection.from_json(found[0].selection_json)
    if args.page_size:
        selection = replace(selection, page_size=args.page_size)
    if getattr(args, "script", None):
        selection = replace(selection, script=args.script)
    return selection


@functools.cache
def _shipped_blueprints() -> tuple[str, ...]:
    """The shipped blueprint slugs, for help texts (no store needed)."""
    from briefing_app import paths

    folder = paths.blueprints_dir()
    found = sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []
    if DEFAULT_BLUEPRINT in found:
        found.remove(DEFAULT_BLUEPRINT)
        found.insert(0, DEFAULT_BLUEPRINT)
    return tuple(found)


# Control characters other than tab and line feed: C0, DEL and C1.
_TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def cmd_render_section(args: argparse.Namespace) -> int:
    from briefing_app.assembly import render_template
    from briefing_app.cli import open_store_from_args
    from briefing_app.document import document_text

    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BriefingError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from exc
    with open_store_from_args(args) as store:
        selection = _selection(store, args, blueprint=_any_blueprint(store))
        try:
            document = render_template(store, selection, text, name=str(path))
        except TemplateError as exc:
            print(f"briefing: error: {exc}", file=sys.stderr)
            return TEMPLATE_ERROR_STATUS
    if args.format in ("text", "html"):
        if args.format == "text":
            # A template's literal text may hold control characters; a
            # terminal would act on escape sequences among them.
            output = _TERMINAL_CONTROLS.sub("", document_text(document)) + "\n"
        else:
            from briefing_app.render.html_backend import render_html

            output = render_html(document)
        if args.output:
            from briefing_app.render.atomic import atomic_path

            # Whole or not at all, like build: a full disk leaves no truncated
            # file, and a symbolic link at the path is replaced, not followed.
            with atomic_path(Path(args.output)) as temporary:
                temporary.write_text(output, encoding="utf-8")
            print(args.output)
        else:
            sys.stdout.write(output)
        return 0
    from briefing_app.export import export_briefing

    target = args.output or str(Path("out") / path.stem)
    for written in export_briefing(document, target, (args.format,)):
        print(written)
    return 0


def _any_blueprint(store) -> str:
    """render-section needs a blueprint only for the cover: the default one if present."""
    slugs = [b.slug for b in store.blueprints()]
    if not slugs:
        raise BriefingError("the knowledge base holds no blueprint")
    return DEFAULT_BLUEPRINT if DEFAULT_BLUEPRINT in slugs else slugs[0]


# -- list blueprints / sections --------------------------------------------------------


def _extend_list(subparsers: argparse._SubParsersAction) -> None:
    """Let ``briefing list`` also show the blueprints and the section library.

    cli.py owns ``list``; rather than edit it, the entity choices are widened
    and its handler wrapped, so both stay in step with no change there.
    """
    parser = subparsers.choices.get("list")
    if parser is None:
        return
    entity = next((a for a in parser._actions if a.dest == "entity"), None)
    if entity is None or entity.choices is None:
        return
    entity.choices = (*entity.choices, "blueprints", "sections")
    previous = parser.get_default("handler")

    def handler(args: argparse.Namespace) -> int:
        if args.entity in ("blueprints", "sections"):
            return cmd_list_library(args)
        return previous(args)

    parser.set_defaults(handler=handler)


def cmd_list_library(args: argparse.Namespace) -> int:
    import json

    from briefing_app.cli import open_store_from_args

    with open_store_from_args(args) as store:
        if args.entity == "blueprints":
            rows = [
                {"slug": b.slug, "name": b.name, "description": b.description}
                for b in store.blueprints()
            ]
            columns = ("slug", "name")
        else:
            rows = [
                {
                    "slug": s.slug,
                    "title": s.title,
                    "sectors": list(s.sectors),
                    "regions": list(s.regions),
                    "partnerships": list(s.partnerships),
                    "version": s.version,
                }
                for s in store.sections()
            ]
            columns = ("slug", "title", "sectors")
    if getattr(args, "json", False):
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    widths = {c: max([len(c)] + [len(_cell(r[c])) for r in rows]) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns).rstrip())
    for row in rows:
        print("  ".join(_cell(row[c]).ljust(widths[c]) for c in columns).rstrip())
    return 0


def _cell(value) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value)


def profile_option(p: argparse.ArgumentParser) -> None:
    """``--profile SLUG`` (repeatable), for the commands that plan partner sections."""
    p.add_argument(
        "--profile",
        dest="profiles",
        action="append",
        default=[],
        metavar="SLUG",
        help="a visitor profile to suggest partners for; repeat for several",
    )
