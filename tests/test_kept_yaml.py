"""YAML data kept on disk for the next process (``yaml_text.load_yaml``):
the same data, a fresh copy each time, and never a way around the limits."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from briefing_app import yaml_text


@pytest.fixture
def cache_root(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("BRIEFING_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


TEXT = "key: objective\ntitle: Objective\ncountries: [CN, HK]\nneeds:\n  - region\ntoc: true\n"


def _kept(cache_root: Path) -> list[Path]:
    return [p for p in (cache_root / "yaml").rglob("*") if p.is_file()]


def test_data_read_once_is_read_back_whole_and_fresh(cache_root: Path, monkeypatch) -> None:
    first = yaml_text.load_yaml(TEXT, keep=True)
    assert len(_kept(cache_root)) == 1
    first["countries"].append("changed by the caller")
    monkeypatch.setattr(yaml_text, "_NoAliasLoader", None)  # reading YAML would now fail
    again = yaml_text.load_yaml(TEXT, keep=True)
    assert again == {
        "key": "objective",
        "title": "Objective",
        "countries": ["CN", "HK"],
        "needs": ["region"],
        "toc": True,
    }


def test_dates_are_not_kept_and_damage_is_read_again(cache_root: Path) -> None:
    dated = yaml_text.load_yaml("published: 2024-05-01\n", keep=True)
    assert str(dated["published"]) == "2024-05-01"
    assert _kept(cache_root) == []  # marshal cannot keep a date exactly
    yaml_text.load_yaml(TEXT, keep=True)
    (entry,) = _kept(cache_root)
    entry.write_bytes(b"\x00damaged")
    assert yaml_text.load_yaml(TEXT, keep=True)["title"] == "Objective"


def test_a_refused_text_is_refused_every_time(cache_root: Path) -> None:
    bomb = "a: &x [1, 2]\nb: *x\n"
    for _ in range(2):
        with pytest.raises(yaml.YAMLError, match="anchors"):
            yaml_text.load_yaml(bomb, keep=True)
    long_value = "title: " + "x" * 50 + "\n"
    yaml_text.load_yaml(long_value, keep=True)  # kept under its limit...
    with pytest.raises(yaml.YAMLError, match="characters"):
        yaml_text.load_yaml(
            long_value, value_chars=10, keep=True
        )  # ...and not served under another
    assert len(_kept(cache_root)) == 1


def test_texts_being_edited_leave_nothing_on_disk(cache_root: Path) -> None:
    """Without keep (the section editor, packs, the cover file) nothing is written."""
    for n in range(5):
        yaml_text.load_yaml(f"title: Draft {n}\n")
    assert _kept(cache_root) == []
