"""The Chinese script setting: as recorded (default), simplified or traditional."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from briefing_app import cli
from briefing_app.assembly import Selection, build_document
from briefing_app.assembly.script import convert_text
from briefing_app.document import document_text
from briefing_app.errors import BriefingError

VARNESIA = Path(__file__).resolve().parents[1] / "packs" / "varnesia"
ZHEJIANG = Selection(country="CN", region="zhejiang", sectors=("automotive",))


def texts(store, selection) -> dict[str, str]:
    return {
        script: document_text(
            build_document(store, Selection(**{**vars(selection), "script": script}))
        )
        for script in ("as-recorded", "simplified", "traditional")
    }


def test_as_recorded_keeps_both_scripts_and_the_others_convert_all(seeded_store):
    built = texts(seeded_store, ZHEJIANG)
    recorded = built["as-recorded"]
    # 002's Table 3 prints some places in traditional characters (杭州蕭山)
    assert "蕭山" in recorded and "萧山" not in recorded
    assert built["simplified"] == convert_text(recorded, "simplified")
    assert "萧山" in built["simplified"] and "蕭山" not in built["simplified"]
    assert built["traditional"] == convert_text(recorded, "traditional")
    assert "杭州蕭山" in built["traditional"]


def test_text_without_chinese_is_left_alone(seeded_store):
    seeded_store.import_pack(VARNESIA)
    built = texts(seeded_store, Selection(country="QV", sectors=("amber-crafts",)))
    assert built["as-recorded"] == built["simplified"] == built["traditional"]


def test_the_setting_travels_with_the_selection():
    chosen = Selection(country="CN", script="traditional")
    assert Selection.from_json(chosen.to_json()).script == "traditional"
    older = chosen.to_json().replace('"script": "traditional"', '"ignored": 1')
    assert Selection.from_json(older).script == "as-recorded"
    with pytest.raises(BriefingError, match="simplified"):
        Selection(script="pinyin")


def test_cli_build_script_simplified(seeded_db_path, tmp_path, capsys):
    argv = ["build", "--db", str(seeded_db_path), "--region", "zhejiang", "--format", "docx"]
    assert cli.main([*argv, "--output", str(tmp_path / "s.docx"), "--script", "simplified"]) == 0
    assert cli.main([*argv, "--output", str(tmp_path / "r.docx")]) == 0
    capsys.readouterr()

    def words(path: Path) -> str:
        document = docx.Document(str(path))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)

    simplified, recorded = words(tmp_path / "s.docx"), words(tmp_path / "r.docx")
    assert "蕭山" in recorded and "蕭山" not in simplified and "萧山" in simplified
    with pytest.raises(SystemExit) as usage:
        cli.main([*argv, "--output", str(tmp_path / "x.docx"), "--script", "cyrillic"])
    assert usage.value.code == 2 and "invalid choice: 'cyrillic'" in capsys.readouterr().err


def test_local_names_of_organisations_and_policies_follow_the_chosen_script(seeded_store):
    """The local names in the organisation and policy tables (a column, or
    beside the name where few rows have one) are converted with the rest."""
    from briefing_app.document import Table, plain_text

    def table_text(script: str) -> str:
        selection = Selection(country="CN", sectors=("ict",), script=script)
        blocks = build_document(seeded_store, selection).blocks
        cells = [c for b in blocks if isinstance(b, Table) for row in b.rows for c in row]
        return "\n".join(plain_text(c) for c in cells)

    recorded, traditional = table_text("as-recorded"), table_text("traditional")
    assert "工业和信息化部" in recorded  # an organisation, in its table's column
    assert "Cybersecurity Law (网络安全法)" in recorded  # a policy, beside its name
    assert "工業和信息化部" in traditional and "Cybersecurity Law (網絡安全法)" in traditional
    assert "工业和信息化部" not in traditional and "网络安全法" not in traditional
