"""Untrusted templates: every trick is refused, every bomb stops quickly."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing_app.assembly.sandbox import Limits, TemplateSandbox
from briefing_app.errors import TemplateError

FAST = Limits(seconds=1.0)

ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ x.__class__ }}",
    "{{ x.__init__.__globals__ }}",
    "{{ x.__class__.__builtins__ }}",
    "{{ x|attr('__class__') }}",
    "{{ (x|attr('__class__'))|attr('__mro__') }}",
    "{{ '{0.__class__}'.format(x) }}",
    "{{ '{0.__class__.__mro__}'.format_map({'0': x}) }}",
    "{{ self }}",
    "{{ self._TemplateReference__context }}",
    "{{ cycler(1, 2) }}",
    "{{ joiner() }}",
    "{{ namespace(a=1) }}",
    "{{ lipsum() }}",
    "{% include '/etc/passwd' %}",
    "{% import 'macros.html' as m %}",
    "{% from 'x' import y %}",
    "{% extends 'base.html' %}",
    "{{ items.append(4) }}",
    "{{ record.__dataclass_fields__ }}",
]

BOMBS = [
    "{{ range(10**9)|list|length }}",
    "{{ 'a' * 10**9 }}",
    "{{ [0] * 10**8 }}",
    "{{ 2 ** 100000000 }}",
    "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
    "{% for a in big %}{% for b in big %}{% for c in big %}{% endfor %}{% endfor %}{% endfor %}",
    "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
    "{% macro f(n) %}{{ f(n - 1) }}{{ f(n - 1) }}{% endmacro %}{{ f(60) }}",
    "{% macro d(s, n) %}{% if n %}{{ d(s ~ s, n - 1) }}{% else %}{{ s|length }}{% endif %}"
    "{% endmacro %}{{ d('ab', 60) }}",
    "{% macro d(s, n) %}{% if n %}{{ d(s + s, n - 1) }}{% else %}{{ s|length }}{% endif %}"
    "{% endmacro %}{{ d('ab', 60) }}",
    "{{ '{:>999999999}'.format(1) }}",
    "{{ '%999999999d' % 1 }}",
    "{{ '%*d' % (999999999, 1) }}",
    "{{ '%999999999d'|format(1) }}",
    "{{ 'a'|center(999999999) }}",
    "{{ 'a'|indent(999999999) }}",
    "{{ ('x' * 900000)|replace('', 'yy') }}",
    "{% for i in range(9999) %}{{ 'x' * 999 }}{% endfor %}",
    "{{ 'a'.ljust(999999999) }}",
    "{{ 'a'.zfill(999999999) }}",
    "{{ 'a'.center(999999999) }}",
    "{{ '\\t'.expandtabs(999999999) }}",
    "{{ ('x' * 900000).replace('', 'yy') }}",
    "{{ (1).to_bytes(999999999, 'big') }}",
]


class Record:
    def __init__(self) -> None:
        self.name = "r"


@pytest.fixture
def sandbox() -> TemplateSandbox:
    return TemplateSandbox(limits=FAST)


def context() -> dict:
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Frozen:
        name: str = "n"

    return {"x": 1, "items": [1, 2, 3], "record": Frozen(), "big": list(range(400))}


@pytest.mark.parametrize("payload", ESCAPES)
def test_escapes_are_refused(sandbox, payload):
    with pytest.raises(TemplateError) as caught:
        sandbox.render(payload, context(), "hostile")
    assert caught.value.section == "hostile"
    assert caught.value.line == 1


@pytest.mark.parametrize("payload", BOMBS)
def test_resource_bombs_stop(sandbox, payload):
    with pytest.raises(TemplateError):
        sandbox.render(payload, context(), "bomb")


def test_no_file_is_touched(sandbox, tmp_path: Path, monkeypatch):
    target = tmp_path / "pwned.txt"
    monkeypatch.chdir(tmp_path)
    attempts = [
        "{{ ''.__class__.__mro__[1].__subclasses__()[0]('pwned.txt', 'w') }}",
        "{{ x.__class__.__base__.__subclasses__() }}",
        f"{{% include '{target}' %}}",
        "{{ lipsum.__globals__['os'].system('touch pwned.txt') }}",
    ]
    for payload in attempts:
        with pytest.raises(TemplateError):
            sandbox.render(payload, context(), "hostile")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_syntax_error_has_line_and_column(sandbox):
    source = "First line is fine.\nSecond {{ x }} then {{ x + }} broken.\n"
    with pytest.raises(TemplateError) as caught:
        sandbox.render(source, context(), "broken")
    error = caught.value
    assert (error.line, error.column) == (2, 21)
    assert "broken, line 2, column 21" in str(error)


def test_unclosed_block_reports_a_line(sandbox):
    with pytest.raises(TemplateError) as caught:
        sandbox.render("a\n{% if x %}\nb\n", context(), "open")
    assert caught.value.line is not None and caught.value.column is not None


def test_runtime_error_names_the_template_line(sandbox):
    with pytest.raises(TemplateError) as caught:
        sandbox.render("one\ntwo\n{{ missing.name }}\n", context(), "undef")
    assert caught.value.line == 3
    assert "missing" in caught.value.message


@pytest.mark.parametrize(
    "line, column",
    [
        ("Area: {{ region.name }}, {{ regoin.name }}.", 29),  # the undefined name
        ("{{ region.name }} and {{ region.nme|upper }}", 33),  # the missing attribute
        ("Total: {{ 'a' + 1 }} units", 8),  # no name quoted: the line's one tag
        ("{{ 'a' + 1 }} and {{ 'b' + 2 }}", None),  # two tags, no name: not guessed
    ],
)
def test_runtime_errors_point_at_a_column_when_it_is_clear(sandbox, line, column):
    with pytest.raises(TemplateError) as caught:
        sandbox.render(f"first\n{line}\n", {"region": {"name": "Zhejiang"}}, "col")
    assert (caught.value.line, caught.value.column) == (2, column)


def test_first_line_offsets_the_reported_line(sandbox):
    with pytest.raises(TemplateError) as caught:
        sandbox.render("ok\n{{ nope }}\n", context(), "file", first_line=5)
    assert caught.value.line == 6


def test_forbidden_tag_reports_its_column(sandbox):
    with pytest.raises(TemplateError) as caught:
        sandbox.render("text\n  {% include 'x' %}\n", context(), "inc")
    assert (caught.value.line, caught.value.column) == (2, 3)


def test_ordinary_templates_still_work(sandbox):
    source = (
        "{% set total = items|sum %}{{ total }} {{ '%.1f'|format(2.345) }} {{ 'a' ~ 'b' }}"
        " {% for i in range(3) %}{{ loop.index }}{% endfor %} {{ '{:>4}'.format(7) }}"
        " {{ items|map('string')|join(',') }} {{ {'k': 'v'}.get('k') }}"
    )
    assert sandbox.render(source, context(), "fine") == "6 2.3 ab 123    7 1,2,3 v"


def test_compiled_code_is_reused_across_sandboxes():
    from briefing_app.assembly import sandbox as module

    source = "{{ x }} cached"
    TemplateSandbox(limits=FAST).render(source, {"x": 1}, "cache-test")
    size = len(module._CODE_CACHE)
    assert TemplateSandbox(limits=FAST).render(source, {"x": 2}, "cache-test") == "2 cached"
    assert len(module._CODE_CACHE) == size


RECORD_ESCAPES = [
    "{{ c.__class__ }}",
    "{{ c|attr('__class__') }}",
    "{{ c['__class__'] }}",
    "{{ c.__dataclass_fields__ }}",
    "{{ c.__slots__ }}",
    "{{ [c]|selectattr('__class__')|list }}",
    "{{ c.sectors.__class__ }}",
]


@pytest.mark.parametrize("payload", RECORD_ESCAPES)
def test_knowledge_base_records_show_their_fields_and_nothing_else(sandbox, payload):
    from briefing_app.store.records import Cluster

    cluster = Cluster(
        slug="ningbo-moulds",
        kind="industrial-cluster",
        name="Ningbo moulds",
        country="CN",
        region="zhejiang",
        sectors=("machinery-and-equipment",),
    )
    with pytest.raises(TemplateError):
        sandbox.render(payload, {"c": cluster}, "hostile")


def test_record_fields_filter_as_plain_attributes(sandbox):
    from briefing_app.store.records import Cluster

    clusters = [
        Cluster(
            slug=f"c{i}",
            name=f"Cluster {i}",
            kind="industrial-cluster",
            country="CN",
            region=region,
            sectors=(sector,),
        )
        for i, (region, sector) in enumerate(
            [("zhejiang", "ict"), ("guangdong", "automotive"), ("zhejiang", "automotive")]
        )
    ]
    source = (
        "{{ cs|selectattr('region', 'equalto', 'zhejiang')|map(attribute='name')|join(', ') }}"
        " | {{ cs|rejectattr('region', 'equalto', 'zhejiang')|map(attribute='slug')|join }}"
        " | {{ (cs|sort(attribute='name', reverse=true)|first).name }}"
        " | {{ cs[1]['sectors']|join }}"
    )
    assert sandbox.render(source, {"cs": clusters}, "fields") == (
        "Cluster 0, Cluster 2 | c1 | Cluster 2 | automotive"
    )
    # map() over a name that is no field gives Jinja's undefined, not the class.
    hidden = sandbox.render("{{ cs|map(attribute='__class__')|list }}", {"cs": clusters}, "x")
    assert "records" not in hidden and "type" not in hidden
