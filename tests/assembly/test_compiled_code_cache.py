"""Compiled section templates kept on disk: never stale, never trusted blindly."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing_app.assembly import compiled_code_cache, sandbox
from briefing_app.assembly.sandbox import TemplateSandbox
from briefing_app.errors import TemplateError


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("BRIEFING_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(sandbox, "_CODE_CACHE", {})
    return tmp_path / "cache" / "templates"


def _fresh_process(monkeypatch) -> None:
    """What a new process has: nothing compiled in memory."""
    monkeypatch.setattr(sandbox, "_CODE_CACHE", {})


def test_a_compiled_template_is_reused_by_the_next_process(cache_dir, monkeypatch) -> None:
    source = "{% for n in range(3) %}{{ n * 2 }} {% endfor %}"
    assert TemplateSandbox().render(source, {}, "s") == "0 2 4 "
    assert len(list(cache_dir.rglob("*"))) == 2  # one folder, one file
    _fresh_process(monkeypatch)
    compiled = []
    monkeypatch.setattr(sandbox, "_compile_checked", lambda *a: compiled.append(a))
    assert TemplateSandbox().render(source, {}, "s") == "0 2 4 "
    assert compiled == []


def test_an_edited_section_is_never_served_from_the_old_compilation(cache_dir, monkeypatch) -> None:
    TemplateSandbox().render("{{ 'before' }}", {}, "s")
    _fresh_process(monkeypatch)
    assert TemplateSandbox().render("{{ 'after' }}", {}, "s") == "after"
    # Same text under another name: its own entry (errors name the section).
    _fresh_process(monkeypatch)
    with pytest.raises(TemplateError) as caught:
        TemplateSandbox().render("{{ nothing_here }}", {}, "other-section")
    assert caught.value.section == "other-section"


def test_a_damaged_entry_is_compiled_again(cache_dir, monkeypatch) -> None:
    source = "{{ 40 + 2 }}"
    TemplateSandbox().render(source, {}, "s")
    for entry in cache_dir.rglob("*"):
        if entry.is_file():
            entry.write_bytes(b"not marshal data")
    _fresh_process(monkeypatch)
    assert TemplateSandbox().render(source, {}, "s") == "42"


def test_the_hardening_rules_are_part_of_the_key(cache_dir, monkeypatch) -> None:
    """A change to the code that checks and hardens templates (an upgrade of
    the sandbox) must not run templates compiled under the old rules."""
    env = TemplateSandbox().env
    before = compiled_code_cache._key(env, "{{ 1 }}", "s")
    compiled_code_cache._rules_digest.cache_clear()
    monkeypatch.setattr(compiled_code_cache, "_RULE_MODULES", ("sandbox.py",))
    try:
        assert compiled_code_cache._key(env, "{{ 1 }}", "s") != before
    finally:
        compiled_code_cache._rules_digest.cache_clear()


def test_refused_templates_are_refused_again_from_a_warm_cache(cache_dir, monkeypatch) -> None:
    """Nothing is kept for a template the sandbox refuses."""
    for _ in range(2):
        _fresh_process(monkeypatch)
        with pytest.raises(TemplateError, match="not available|not allowed|include"):
            TemplateSandbox().render("{% include 'x' %}", {}, "s")
    assert not [p for p in cache_dir.rglob("*") if p.is_file()] if cache_dir.exists() else True
