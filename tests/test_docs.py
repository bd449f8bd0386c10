"""The README is part of the product: its example runs, and every CLI command is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sync.cli import build_parser

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_readme_python_example_runs() -> None:
    """The library example in the README executes and its assertions hold."""
    blocks = re.findall(r"```python\n(.*?)```", README, flags=re.S)
    assert blocks, "README has no python example"
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})


def _commands() -> dict[str, list[str]]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    commands: dict[str, list[str]] = {}
    for name, command in sub.choices.items():  # type: ignore[union-attr]
        commands[name] = [
            option
            for action in command._actions
            for option in action.option_strings
            if option.startswith("--") and option != "--help"
        ]
    return commands


@pytest.mark.parametrize("command", sorted(_commands()))
def test_every_command_and_option_is_in_readme(command: str) -> None:
    """Each `sheetsync` command appears in the README's usage block with all its options."""
    line = next((x for x in README.splitlines() if x.startswith(f"sheetsync {command}")), None)
    assert line is not None, f"README lacks a usage line for `sheetsync {command}`"
    usage = README[README.index(line) :].split("\nsheetsync ", 1)[0].split("```", 1)[0]
    for option in _commands()[command]:
        assert option in usage, f"`sheetsync {command} {option}` is not in the README"


@pytest.mark.parametrize("command", sorted(_commands()))
def test_every_command_has_help(command: str) -> None:
    """`sheetsync COMMAND --help` describes the command."""
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert sub.choices[command].description  # type: ignore[index]
