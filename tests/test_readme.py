"""The README's commands stay true: the CLI accepts each one, and CI runs the
test command the README gives."""

from __future__ import annotations

import re
import shlex
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


def _expand(args: list[str]) -> list[list[str]]:
    # "check | backup | restore --latest" documents three commands in one line.
    if "|" not in args:
        return [args]
    head = args[: args.index("|") - 1]
    choices = [a for a in args[len(head) :] if a != "|"]
    tail_start = next((i for i, a in enumerate(choices) if a.startswith("--")), len(choices))
    return [head + [c] for c in choices[: tail_start - 1]] + [head + choices[tail_start - 1 :]]


def test_readme_documents_the_cli():
    assert len(_commands("briefing")) >= 8


@pytest.mark.parametrize(
    "args", [a for c in _commands("briefing") for a in _expand(c)], ids=lambda a: " ".join(a)[:60]
)
def test_every_briefing_command_in_the_readme_parses(args):
    parsed = build_parser().parse_args(args)
    assert parsed.command == args[0]


def test_ci_runs_exactly_the_readme_test_command():
    test_command = "QT_QPA_PLATFORM=offscreen python3 -m pytest -q"
    assert test_command in README
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert ci_lines[-1] == test_command
