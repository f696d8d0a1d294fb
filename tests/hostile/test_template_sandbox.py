"""Hostile section templates, through every door a template comes in by.

``tests/assembly/test_sandbox.py`` drives the sandbox object alone with a
toy context. Here the same kind of payloads go through the real entry
points, with the real context (records, ``kb``, the helpers):

- the section editor: ``assembly.render_template``;
- the command line: ``briefing render-section FILE``;
- a section saved in the knowledge base (``store.save_section``) and then
  built into a briefing (``build_document``);
- a section file in the shipped library folder, synchronised on open.

(``briefing import`` only takes the record entities, not sections, so it is
no way in for a template.)

Every payload must end in a TemplateError (exit status 2 on the command
line), leave no file behind and never print an environment variable.
Resource bombs must stop with a message within seconds. Bombs that would
allocate gigabytes in one call run in a child process with a memory
ceiling, so that a lost guard shows as a failed test, not a swapping machine.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hostile_support import SECRET_VALUE
from measured import measured_here

from briefing_app import paths
from briefing_app.assembly import OutlineItem, Selection, build_document, render_template
from briefing_app.cli import main
from briefing_app.errors import TemplateError
from briefing_app.store import open_store

# Payloads that try to climb out of the sandbox from the objects a real
# section sees: records, the ``kb`` facade and the helper functions.
ESCAPES = {
    "class-of-record": "{{ country.__class__ }}",
    "mro-subclasses": "{{ country.__class__.__mro__[-1].__subclasses__() }}",
    "string-subclasses": "{{ ''.__class__.__base__.__subclasses__() }}",
    "init-globals": "{{ kb.__init__.__globals__ }}",
    "helper-globals": "{{ cite.__globals__ }}",
    "helper-func-globals-os": "{{ cite.__func__.__globals__['os'].environ }}",
    "bound-self-store": "{{ kb.clusters.__self__._store }}",
    "builtins": "{{ country.__init__.__builtins__ }}",
    "private-store": "{{ kb._store }}",
    "dataclass-fields": "{{ country.__dataclass_fields__ }}",
    "reduce": "{{ country.__reduce_ex__(2) }}",
    "attr-filter": "{{ kb|attr('_store') }}",
    "attr-filter-chain": "{{ country|attr('__class__')|attr('__mro__') }}",
    "sort-attribute": "{{ kb.clusters()|sort(attribute='__class__') }}",
    "groupby-attribute": "{{ kb.clusters()|groupby('__class__') }}",
    "str-format": "{{ '{0.__class__}'.format(country) }}",
    "str-format-built": "{{ ('{0.__cl' ~ 'ass__.__init__.__globals__}').format(kb) }}",
    "format-map": "{{ '{c._store}'.format_map({'c': kb}) }}",
    "percent-format": "{{ '%s' % country.__class__ }}",
    "format-filter": "{{ '%s'|format(kb._store) }}",
    "self": "{{ self }}",
    "self-context": "{{ self._TemplateReference__context }}",
    "self-init": "{{ self.__init__.__globals__ }}",
    "cycler": "{{ cycler.__init__.__globals__.os }}",
    "joiner": "{{ joiner() }}",
    "namespace": "{% set ns = namespace(a=1) %}{{ ns }}",
    "lipsum": "{{ lipsum.__globals__['os'].popen('touch pwned').read() }}",
    "mutate-list": "{{ sectors.append(1) }}",
    "unknown-global": "{{ config.items() }}",
    "include-passwd": "{% include '/etc/passwd' %}",
    "import-passwd": "{% import '/etc/passwd' as p %}",
    "from-import": "{% from '/etc/passwd' import root %}",
    "extends-passwd": "{% extends '/etc/passwd' %}",
    "include-relative": "{% include '../../../../etc/hostname' %}",
}

# Payloads that try to use up time, memory or the document.
BOMBS = {
    "huge-range": "{{ range(10**10)|list|length }}",
    "nested-loops": (
        "{% for i in range(10000) %}{% for j in range(10000) %}.{% endfor %}{% endfor %}"
    ),
    "nested-record-loops": (
        "{% for a in kb.clusters() %}{% for b in kb.clusters() %}{% for c in kb.clusters() %}"
        "{% endfor %}{% endfor %}{% endfor %}"
    ),
    "deep-recursion": "{% macro r(n) %}{{ r(n + 1) }}{% endmacro %}{{ r(0) }}",
    "exponential-macros": "{% macro f(n) %}{{ f(n - 1) }}{{ f(n - 1) }}{% endmacro %}{{ f(64) }}",
    "string-times-gigabyte": "{{ 'x' * (1024 ** 3) }}",
    "list-times": "{{ (kb.clusters() * 10**7)|length }}",
    "concat-doubling": (
        "{% macro d(s, n) %}{% if n %}{{ d(s ~ s, n - 1) }}{% else %}{{ s|length }}{% endif %}"
        "{% endmacro %}{{ d('ab', 64) }}"
    ),
    "power": "{{ 7 ** 999999999 }}",
    "output-size": "{% for i in range(10000) %}{{ 'z' * 999999 }}{% endfor %}",
    "format-width": "{{ '{:>2000000000}'.format(area_name) }}",
    "percent-width": "{{ '%2000000000s' % area_name }}",
    "center-filter": "{{ area_name|center(2000000000) }}",
    "batch-filter": "{{ kb.clusters()|batch(10**9)|list }}",
}

# Bombs that build a gigabyte or more in a single call, which no loop
# counter or deadline could interrupt: they must be refused before the call.
SINGLE_CALL = {
    "join-filter": "{{ range(10000)|map('string')|join('x' * 999999) }}",
    "str-ljust": "{{ area_name.ljust(2 * 10**9) }}",
    "str-rjust": "{{ area_name.rjust(2 * 10**9) }}",
    "str-center-method": "{{ area_name.center(2 * 10**9) }}",
    "str-zfill": "{{ area_name.zfill(2 * 10**9) }}",
    "str-expandtabs": "{{ ('\t' * 1000).expandtabs(10**7) }}",
    "str-replace-method": "{{ ('a' * 999999).replace('', 'b' * 999999) }}",
}

ONE_ITEM = [OutlineItem(key="objective", section="objective", title="Objective", level=1)]


def assert_harmless(trap: Path, *texts: str) -> None:
    """Nothing was created in the trap folder and the secret never printed."""
    assert list(trap.iterdir()) == [], "a template created a file"
    for text in texts:
        assert SECRET_VALUE not in text


# Cases run in a child process are measured there (without the child's start).
MEASURED_IN_CHILD = {"test_single_call_bombs_are_refused_before_allocating"}


@pytest.fixture(autouse=True)
def within_limits(request):
    """Every case of this template suite, measured: under 5 s and 500 MB (issue 19)."""
    if request.function.__name__ in MEASURED_IN_CHILD:
        yield
        return
    with measured_here():
        yield


# -- the section editor ---------------------------------------------------------------


@pytest.mark.parametrize("payload", ESCAPES.values(), ids=ESCAPES.keys())
def test_editor_refuses_escapes(shared_store, trap, payload):
    with pytest.raises(TemplateError) as caught:
        render_template(shared_store, Selection(), f"Fine first line.\n{payload}\n", "editor")
    assert caught.value.section == "editor"
    assert caught.value.line == 2, "the error must point at the payload's line"
    assert_harmless(trap, str(caught.value))


@pytest.mark.parametrize("payload", BOMBS.values(), ids=BOMBS.keys())
def test_editor_stops_bombs_quickly(shared_store, trap, payload):
    started = time.monotonic()
    with pytest.raises(TemplateError) as caught:
        render_template(shared_store, Selection(), payload, "editor")
    # Generous: the limit is 3 s of render time; a bomb that got through
    # would take minutes or exhaust memory.
    assert time.monotonic() - started < 10
    message = str(caught.value)
    assert any(
        word in message for word in ("not allowed", "too deeply", "limited", "beyond", "large")
    ), message
    assert_harmless(trap, message)


def test_map_attribute_cannot_read_dunders(shared_store, trap):
    # The stock sandbox answers an unsafe attribute inside map() with an
    # inert Undefined rather than an error: nothing leaks either way.
    body = "{{ kb.clusters()[:2]|map(attribute='__class__')|list }}"
    try:
        document = render_template(shared_store, Selection(), body, "editor")
    except TemplateError:
        return  # refusing outright would be fine too
    text = " ".join(getattr(block, "plain", "") for block in document.blocks)
    assert "class" not in text and "Undefined" in text
    assert_harmless(trap, text)


def test_guarded_wordwrap_filter_still_wraps(shared_store):
    document = render_template(
        shared_store, Selection(), "{{ 'the quick brown fox jumps'|wordwrap(10) }}", "editor"
    )
    assert "the quick" in " ".join(getattr(block, "plain", "") for block in document.blocks)


# -- the command line -----------------------------------------------------------------

CLI_SAMPLE = [
    "mro-subclasses",
    "helper-func-globals-os",
    "self-context",
    "lipsum",
    "include-passwd",
    "extends-passwd",
    "str-format",
    "attr-filter-chain",
]


@pytest.mark.parametrize("key", CLI_SAMPLE)
def test_render_section_command_refuses_escapes(seeded_db_path, trap, capsys, key):
    section = trap.parent / f"{key}.md"
    section.write_text(
        f"---\nkey: {key}\ntitle: Hostile\n---\nA line.\n{ESCAPES[key]}\n", encoding="utf-8"
    )
    status = main(
        [
            "render-section",
            str(section),
            "--db",
            str(seeded_db_path),
            "--format",
            "docx",
            "--output",
            str(trap / "out"),
        ]
    )
    captured = capsys.readouterr()
    assert status == 2
    assert f"{section}, line 6" in captured.err
    assert "Traceback" not in captured.err
    assert_harmless(trap, captured.out, captured.err)


@pytest.mark.parametrize(
    "key", ["huge-range", "deep-recursion", "string-times-gigabyte", "output-size"]
)
def test_render_section_command_stops_bombs(seeded_db_path, trap, capsys, key):
    section = trap.parent / f"{key}.md"
    section.write_text(BOMBS[key] + "\n", encoding="utf-8")
    assert main(["render-section", str(section), "--db", str(seeded_db_path)]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("briefing: error: ") and "Traceback" not in captured.err
    assert_harmless(trap, captured.out, captured.err)


# -- a section saved in the knowledge base, then built --------------------------------


@pytest.mark.parametrize(
    "key",
    [
        "mro-subclasses",
        "self-context",
        "format-map",
        "include-passwd",
        "nested-loops",
        "output-size",
    ],
)
def test_saved_section_fails_the_build_with_its_name(seeded_store, trap, key):
    payload = {**ESCAPES, **BOMBS}[key]
    current = seeded_store.section("objective")
    seeded_store.save_section(
        dataclasses.replace(current, body=f"Intro.\n\n{payload}\n"), current.version
    )
    with pytest.raises(TemplateError) as caught:
        build_document(seeded_store, Selection(), outline=ONE_ITEM)
    assert caught.value.section == "objective"
    assert_harmless(trap, str(caught.value))


def test_saved_hostile_section_stops_a_full_export_before_any_file(seeded_store, trap, capsys):
    current = seeded_store.section("objective")
    seeded_store.save_section(
        dataclasses.replace(current, body="{{ lipsum.__globals__ }}"), current.version
    )
    path = seeded_store.path
    seeded_store.close()
    status = main(["build", "--db", str(path), "--format", "docx", "--output", f"{trap}/out/"])
    err = capsys.readouterr().err
    # lipsum is removed from the globals, so it is simply unknown here.
    assert (
        status == 2 and "briefing: error: objective, line 1, column 4:" in err and "lipsum" in err
    )
    assert not (trap / "out").exists() or list((trap / "out").iterdir()) == []


# -- a section file in the library folder -------------------------------------------


def test_hostile_library_file_is_refused_when_built(seeded_db_path, trap, tmp_path):
    library = tmp_path / "library" / "core"
    library.mkdir(parents=True)
    shipped = (paths.sections_dir() / "core" / "objective.md").read_text(encoding="utf-8")
    front = shipped.split("---", 2)[1]
    (library / "objective.md").write_text(
        f"---{front}---\nText.\n{{{{ cite.__func__.__globals__['os'].system('touch pwned') }}}}\n",
        encoding="utf-8",
    )
    with open_store(seeded_db_path, sections_dir=library.parent) as store:
        with pytest.raises(TemplateError) as caught:
            build_document(store, Selection(), outline=ONE_ITEM)
    assert caught.value.section == "objective" and "not allowed" in caught.value.message
    assert_harmless(trap, str(caught.value))


# -- bombs that allocate in a single call --------------------------------------------

_CHILD = textwrap.dedent(
    """
    import json, resource, sys, time
    limit = 1536 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from briefing_app.assembly import Selection, render_template
    from briefing_app.errors import TemplateError
    from briefing_app.store import open_store
    store = open_store(sys.argv[1])
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    try:
        render_template(store, Selection(), sys.argv[2], "editor")
        outcome, message = "rendered", ""
    except TemplateError as exc:
        outcome, message = "refused", str(exc)
    except MemoryError:
        outcome, message = "memory", "MemoryError"
    seconds = time.monotonic() - started
    mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
    print(json.dumps({"outcome": outcome, "message": message, "seconds": seconds, "mb": mb}))
    """
)


def run_in_child(db: Path, payload: str) -> dict:
    """Render ``payload`` in a child process limited to 1.5 GB of address space."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(db), payload],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=str(Path(__file__).resolve().parents[2]),
    )
    lines = done.stdout.strip().splitlines()
    if not lines:
        return {"outcome": "crashed", "message": done.stderr[-500:], "seconds": None}
    return json.loads(lines[-1])


@pytest.mark.parametrize("payload", SINGLE_CALL.values(), ids=SINGLE_CALL.keys())
def test_single_call_bombs_are_refused_before_allocating(seeded_db_path, payload):
    result = run_in_child(seeded_db_path, payload)
    # A limit message, not a MemoryError caught by luck under the ceiling.
    assert result["outcome"] == "refused", result
    assert "MemoryError" not in result["message"]
    assert any(w in result["message"] for w in ("limited", "beyond", "large")), result
    assert result["seconds"] < 5 and result["mb"] < 500, result


# -- helpers that read named parts of what a template hands them (issue 19, item 1) ---

# Each walks from an object the template can hold to os.environ or the store
# through a helper's own attribute reading, not through template syntax.
HELPER_PATHS = {
    "table-generator-frame": (
        "{{ table([range(1)], [['S', 'gi_frame.f_globals.dataclasses.sys.modules.os.environ."
        "BRIEFING_HOSTILE_SECRET']], 'x') }}"
    ),
    "table-whole-environ": (
        "{{ table([range(1)], [['S', 'gi_frame.f_globals.dataclasses.sys.modules.os.environ']],"
        " 'x') }}"
    ),
    "table-map-generator": (
        "{{ table([kb.clusters()|map(attribute='name')], [['S', 'gi_frame.f_locals']], 'x') }}"
    ),
    "table-helper-function": "{{ table([{'f': cite}], [['S', 'f.__func__.__globals__']], 'x') }}",
    "table-bound-method": "{{ table([kb.clusters], [['S', '__self__']], 'x') }}",
    "table-kb-store": "{{ table([kb], [['S', '_store']], 'x') }}",
    "table-kb-public": "{{ table([kb], [['S', 'clusters']], 'x') }}",
    "table-dict-then-object": "{{ table([{'k': kb}], [['S', 'k.enclosing_area']], 'x') }}",
    "table-class-of-list": "{{ table([[1]], [['S', 'copy']], 'x') }}",
    "join-names-globals": "{{ [cite]|join_names('__globals__') }}",
    "join-names-frame": "{{ [range(2)]|join_names('gi_frame') }}",
    "join-names-kb": "{{ [kb]|join_names('_store') }}",
    "kb-list-of-generators": "{{ kb.zones_first([range(3)]) }}",
    "kb-groups-of-functions": "{{ kb.indicator_groups([cite]) }}",
}


@pytest.mark.parametrize("payload", HELPER_PATHS.values(), ids=HELPER_PATHS.keys())
def test_helpers_read_record_fields_only(shared_store, trap, payload):
    with pytest.raises(TemplateError) as caught:
        render_template(shared_store, Selection(), f"A line.\n{payload}\n", "editor")
    assert caught.value.line == 2
    assert_harmless(trap, str(caught.value))
    assert "environ" not in caught.value.message.replace("'", "").split("cannot")[-1]


def test_helpers_still_read_record_fields_dicts_and_groups(shared_store):
    body = (
        "{{ table(kb.clusters()[:3], [['Name', 'name'], ['First sector', 'sectors.0']], 'T') }}\n"
        "{{ table([{'a': {'b': 'deep'}}], [['A', 'a.b']], 'U') }}\n"
        "{{ kb.indicator_groups(kb.indicators())[:2]|join_names('latest.name') }}\n"
        "{{ kb.clusters()[:2]|join_names }}\n"
    )
    document = render_template(shared_store, Selection(), body, "editor")
    tables = [b for b in document.blocks if type(b).__name__ == "Table"]
    clusters = shared_store.clusters(country="CN")[:3]
    assert [row[0] for row in tables[0].rows] == [c.name for c in clusters]
    assert tables[0].rows[0][1] == (clusters[0].sectors[0] if clusters[0].sectors else "")
    assert tables[1].rows == (("deep",),)


def test_saved_section_with_a_column_path_escape_writes_no_secret(seeded_store, trap, tmp_path):
    current = seeded_store.section("objective")
    seeded_store.save_section(
        dataclasses.replace(current, body=f"Intro.\n\n{HELPER_PATHS['table-generator-frame']}\n"),
        current.version,
    )
    with pytest.raises(TemplateError) as caught:
        build_document(seeded_store, Selection(), outline=ONE_ITEM)
    assert caught.value.section == "objective" and "gi_frame" in caught.value.message
    assert_harmless(trap, str(caught.value))
