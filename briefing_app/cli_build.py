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
import re
import sys
from pathlib import Path

from briefing_app.errors import BriefingError, TemplateError

TEMPLATE_ERROR_STATUS = 2


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``build`` and ``render-section``, and teach ``list`` the library."""
    from briefing_app.cli import add_db_option

    p = subparsers.add_parser(
        "build",
        help="assemble a briefing and write it as Word and/or PDF",
        description="Assemble a briefing for a country (and region, sectors, partnerships) "
        "from a blueprint, and write it in the chosen formats. Prints the paths written.",
    )
    p.add_argument("--blueprint", default="eccp-preparatory", metavar="SLUG")
    _selection_options(p)
    p.add_argument(
        "--format",
        dest="formats",
        action="append",
        choices=("docx", "pdf"),
        help="repeat for several (default: docx and pdf)",
    )
    p.add_argument(
        "--output",
        metavar="DIR_OR_FILE",
        help="a folder (file named after the title) or a file path; default ./out",
    )
    p.add_argument("--title", help="cover title (default: the blueprint's)")
    p.add_argument("--page-size", choices=("A4", "Letter"), default="A4")
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
        "--country", default="CN", metavar="ISO", help="ISO code or country slug (default CN)"
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

    country = store.country(args.country).iso_code
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
    )


def cmd_build(args: argparse.Namespace) -> int:
    from briefing_app.cli import open_store_from_args
    from briefing_app.export import export_selection

    with open_store_from_args(args) as store:
        selection = _selection(store, args, args.blueprint, args.title or "", args.page_size)
        try:
            written = export_selection(
                store, selection, args.output, args.formats or ("docx", "pdf")
            )
        except TemplateError as exc:
            print(f"briefing: error: {exc}", file=sys.stderr)
            return TEMPLATE_ERROR_STATUS
    for path in written:
        print(path)
    return 0


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
    return "eccp-preparatory" if "eccp-preparatory" in slugs else slugs[0]


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
