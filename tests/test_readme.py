"""The README's commands stay true: the CLI accepts each one, and CI runs the
test command the README gives."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from briefing_app.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _code_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", README, flags=re.S)


def _commands(program: str) -> list[list[str]]:
    """Every command line of ``program`` in the README's shell blocks."""
    found = []
    for block in _code_blocks():
        joined = block.replace("\\\n", " ")
        for line in joined.splitlines():
            for part in line.split("&&"):
                words = shlex.split(part, comments=True)
                if words and words[0] == program:
                    found.append(words[1:])
    return found


def test_readme_documents_the_cli():
    assert len(_commands("briefing")) >= 8


@pytest.mark.parametrize("args", _commands("briefing"), ids=lambda a: " ".join(a)[:60])
def test_every_briefing_command_in_the_readme_parses(args):
    parsed = build_parser().parse_args(args)
    assert parsed.command == args[0]


def test_ci_runs_exactly_the_readme_test_command():
    test_command = "QT_QPA_PLATFORM=offscreen python3 -m pytest -q"
    assert test_command in README
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert ci_lines[-1] == test_command


def _section(title: str) -> str:
    start = README.index(f"## {title}")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def test_the_command_line_section_runs_as_written(seeded_db_path: Path, tmp_path: Path) -> None:
    """Each command of "The command line", pasted in order into a shell in
    a fresh folder (with the project's example files beside it), succeeds."""
    (tmp_path / "docs").symlink_to(ROOT / "docs")
    env = dict(os.environ)
    env["BRIEFING_DB"] = str(seeded_db_path)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    blocks = re.findall(r"```sh\n(.*?)```", _section("The command line"), flags=re.S)
    lines = [line for block in blocks for line in block.replace("\\\n", " ").splitlines()]
    commands = [shlex.split(line, comments=True) for line in lines if line.strip()]
    assert len(commands) >= 10
    for words in commands:
        assert words[0] == "briefing", words
        done = subprocess.run(
            [sys.executable, "-m", "briefing_app.cli", *words[1:]],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, f"{' '.join(words)}\n{done.stderr}"
    assert (tmp_path / "zhejiang-ict.pdf").exists() and (tmp_path / "orgs.json").exists()
    assert "<html" in (tmp_path / "my-section.html").read_text(encoding="utf-8").lower()
