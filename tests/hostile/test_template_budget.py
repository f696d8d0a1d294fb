"""One budget for the whole build, checked by every stage (issue 19, item 4).

The sandbox's own limits run at Jinja's hooks; these payloads did their work
elsewhere: inside a helper (cells, columns, chart bars), inside one filter or
method call (join, sum, tojson, number, bytes), in the Markdown conversion
(identical headings, many lines) or in the PDF writer (a long word, many
footnotes). Each runs in a child process that measures its time and memory
(tests/hostile/measured.py): none may take 5 s or 500 MB, and each refusal is
a TemplateError naming the section and the limit.
"""

from __future__ import annotations

import time

import pytest
from measured import assert_within_limits, measured_here, run_measured

from briefing_app.assembly import Selection, build_document, render_template
from briefing_app.assembly.build import BuildSession
from briefing_app.errors import TemplateError

CITE = "cite(kb.indicators()[0].source)"

# name -> (payload, words the refusal must hold)
REFUSED = {
    "table-500-cells-of-100kB": (
        "{% set big = 'x' * 100000 %}{{ table([{'a': big}] * 500, ['a'], 'c') }}",
        "20,000 characters",
    ),
    "table-cells-under-the-cell-limit": (
        "{% set big = 'x' * 19000 %}{{ table([{'a': big}] * 500, ['a'], 'c') }}",
        "characters in the table",
    ),
    "table-20000-columns": (
        "{{ table([{}], range(10000)|map('string')|list * 2, 'c') }}",
        "columns",
    ),
    "chart-4000-bars": (
        "{{ chart('bar', range(4000)|list, {'a': range(4000)|list}, 'c') }}",
        "categories",
    ),
    "chart-many-series": (
        "{% set d = {} %}{{ chart('bar', range(50)|list, "
        "dict(a=range(50)|list, b=range(50)|list, c=range(50)|list, d=range(50)|list,"
        " e=range(50)|list, f=range(50)|list), 'c') }}",
        "values",
    ),
    "chart-endless-labels": (
        "{{ chart('bar', ['x' * 100000], {'a': [1]}, 'c') }}",
        "120 characters",
    ),
    "table-cell-of-a-long-list": (
        "{{ table([{'a': {'k': ['x' * 999999] * 1000}}], ['a'], 'c') }}",
        "20,000 characters",
    ),
    "chart-category-of-a-long-list": (
        "{{ chart('bar', [['x' * 999999] * 1000], {'a': [1]}, 'c') }}",
        "120 characters",
    ),
    "join-names-of-long-lists": (
        "{{ [{'name': ['x' * 999999] * 1000}]|join_names }}",
        "1,000,000 characters",
    ),
    "sum-with-list-start": ("{{ ([['x']] * 150000)|sum(start=[])|length }}", None),
    "sum-of-long-strings": ("{{ (['x' * 999] * 5000)|sum(start='') }}", "beyond"),
    "join-method": ("{{ ''.join(['x' * 999999] * 3000)|length }}", "beyond"),
    "join-filter-items": ("{{ (['x' * 999999] * 3000)|join|length }}", "beyond"),
    "bytes-repeat": ("{{ ('x'.encode() * 3000000000)|length }}", "beyond"),
    "tojson-indent": ("{{ [1, 2]|tojson(indent=1000000)|length }}", "widths"),
    "tojson-big-value": ("{{ (['x' * 999999] * 30)|tojson|length }}", "beyond"),
    "number-precision": ("{{ 1|number(10**9) }}", "decimals"),
    "percent-precision": ("{{ 1|percent(10**9) }}", "decimals"),
    "format-many-fields": ("{{ ('{0}' * 300000).format('x' * 999999) }}", "beyond"),
    "percent-many-fields": ("{{ ('%s' * 10000) % (('x' * 99999,) * 10000) }}", "beyond"),
    "translate-growth": ("{{ ('a' * 999999).translate({97: 'x' * 999999}) }}", "beyond"),
    "concat-list-text": ("{{ (['x' * 999999] * 1000) ~ '' }}", "beyond"),
    "print-list-text": ("{{ ['x' * 999999] * 1000 }}", "beyond"),
    "string-filter": ("{{ (['x' * 999999] * 1000)|string|length }}", "beyond"),
    "indent-string-width": ("{{ ('a\n' * 400000)|indent('x' * 1000) }}", "beyond"),
    "wordwrap-long-word": ("{{ ('x' * 900000)|wordwrap(1) }}", "wordwrap"),
    "set-block-capture": (
        "{% set big = 'x' * 999999 %}{% set x %}{% for i in range(500) %}{{ big }}"
        "{% endfor %}{% endset %}{{ x|length }}",
        "printed over",
    ),
    "macro-capture": (
        "{% set big = 'x' * 99999 %}{% macro m() %}{% for i in range(30) %}{{ big }}"
        "{% endfor %}{% endmacro %}{{ m()|length }}",
        "captured block",
    ),
    "10000-identical-headings": ("{% for i in range(10000) %}\n# Same\n{% endfor %}", "headings"),
    "200000-lines": (
        "{% for i in range(10000) %}{% for j in range(20) %}a\n{% endfor %}{% endfor %}",
        "lines in one section",
    ),
    "19000-citations": (
        "{% for i in range(19) %}{% for j in range(1000) %}{{ " + CITE + " }}"
        "{% endfor %}{% endfor %}",
        "footnotes",
    ),
}

# Payloads at the edge of the limits, which must come out, quickly, in a file.
WRITTEN = {
    "4000-identical-headings-docx": ("{% for i in range(4000) %}\n# Same\n{% endfor %}", "docx"),
    "300000-character-word-pdf": ("{{ 'x' * 300000 }}", "pdf"),
    "300000-character-paragraph-pdf": ("{{ 'word ' * 60000 }}", "pdf"),
    "biggest-chart-docx": (
        "{{ chart('bar', range(60)|map('string')|map('center', 119)|list,"
        " {'a': range(60)|list}, 'c') }}",
        "docx",
    ),
    "600-citations-in-one-paragraph-pdf": (
        "{% for i in range(600) %}{{ " + CITE + " }}{% endfor %}",
        "pdf",
    ),
}


# Cases run in a child process are measured there (without the child's start).
MEASURED_IN_CHILD = {
    "test_payload_is_refused_within_time_and_memory",
    "test_payload_at_the_limits_is_written_within_time_and_memory",
}


@pytest.fixture(autouse=True)
def within_limits(request):
    """Every case of this template suite, measured: under 5 s and 500 MB (issue 19)."""
    if request.function.__name__ in MEASURED_IN_CHILD:
        yield
        return
    with measured_here():
        yield


_RENDER = """
from briefing_app.assembly import Selection, render_template
from briefing_app.errors import TemplateError
from briefing_app.export import export_briefing
from briefing_app.store import open_store
with open_store(sys.argv[1]) as store:
    try:
        document = render_template(store, Selection(), sys.argv[2], "editor")
    except TemplateError as exc:
        outcome["refused"] = str(exc)
    else:
        if sys.argv[3]:
            written = export_briefing(document, sys.argv[4], (sys.argv[3],))
            outcome["written"] = [str(p) for p in written]
"""


@pytest.mark.parametrize("payload, words", REFUSED.values(), ids=REFUSED.keys())
def test_payload_is_refused_within_time_and_memory(seeded_db_path, tmp_path, payload, words):
    outcome = run_measured(_RENDER, str(seeded_db_path), payload, "", str(tmp_path / "x"))
    assert_within_limits(outcome)
    assert outcome["error"] is None, outcome
    if words is None:  # made linear rather than refused: it must simply finish
        return
    message = outcome.get("refused", "")
    assert message.startswith("editor"), outcome
    assert words in message, outcome
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("payload, fmt", WRITTEN.values(), ids=WRITTEN.keys())
def test_payload_at_the_limits_is_written_within_time_and_memory(
    seeded_db_path, tmp_path, payload, fmt
):
    target = tmp_path / f"out.{fmt}"
    outcome = run_measured(_RENDER, str(seeded_db_path), payload, fmt, str(target))
    assert_within_limits(outcome)
    assert outcome["error"] is None and "refused" not in outcome, outcome
    assert target.stat().st_size > 0


def test_a_build_over_its_time_budget_names_the_section(seeded_store):
    from briefing_app.assembly.budget import BuildBudget  # imported here: new in issue 19

    budget = BuildBudget()
    session = BuildSession(seeded_store, Selection(), budget=budget)
    budget.deadline = time.monotonic()  # the build has used up its time
    section = session.section("objective")
    with pytest.raises(TemplateError) as caught:
        session.render_blocks(section, {}, 1, "objective")
    assert caught.value.section == "objective"
    assert "the build took longer than its limit of 120 s" in caught.value.message


def test_the_budget_spans_sections(seeded_store):
    from briefing_app.assembly.budget import BuildBudget, BuildLimits

    # Each section alone is small; the briefing's text limit is for all together.
    budget = BuildBudget(BuildLimits(document_chars=2_000))
    with pytest.raises(TemplateError) as caught:
        build_document(seeded_store, Selection(), budget=budget)
    assert "the briefing's text grew beyond 2,000 characters" in caught.value.message
    assert caught.value.section  # the section that crossed the line


def test_wordwrap_indent_center_take_long_texts(shared_store):
    # Only widths are bounded: a text of any ordinary length is wrapped.
    body = (
        "{{ ('lorem ipsum ' * 1000)|wordwrap(40)|length }} "
        "{{ ('line\n' * 1000)|indent(2)|length }} "
        "{{ ('x' * 5000)|center(20)|length }}"
    )
    document = render_template(shared_store, Selection(), body, "editor")
    text = document.blocks[0].plain
    assert text.split()[:3] == [str(len("lorem ipsum " * 1000) - 1), "6998", "5000"]


@pytest.mark.parametrize(
    "body",
    [
        "{{ 'x'|wordwrap(10**6) }}",
        "{{ 'x'|indent(10**6) }}",
        "{{ 'x'|center(10**6) }}",
        "{{ 'x'|wordwrap(5, wrapstring='y' * 10**6) }}",
    ],
)
def test_wordwrap_indent_center_still_bound_their_widths(shared_store, body):
    with pytest.raises(TemplateError, match="widths are limited"):
        render_template(shared_store, Selection(), body, "editor")


def test_sum_still_adds_numbers_and_lists(shared_store):
    body = (
        "{{ [1, 2, 3]|sum }} {{ [[1], [2]]|sum(start=[])|length }} {{ ['a', 'b']|sum(start='') }}"
    )
    document = render_template(shared_store, Selection(), body, "editor")
    assert document.blocks[0].plain == "6 2 ab"
