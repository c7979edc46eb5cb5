"""The project's promises about itself: settings documented, CI runs the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

from statistik import config

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    block = re.search(r"```sh\n(.*?)```", README, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def test_readme_opens_with_two_setup_commands():
    commands = _commands()
    assert len(commands) == 2
    assert "streamlit run dashboard.py" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "README.md" in ci and "sed -n 2p" in ci


def test_every_setting_is_documented():
    for setting in config.SETTINGS.values():
        row = re.search(rf"\| `{setting.env}` \| `([^`]*)` \| ([^|]+) \|", README)
        assert row, f"{setting.env} is not in the README's settings table"
        assert row.group(2).strip() == setting.help


def test_every_dependency_is_pinned():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    deps = re.findall(r'^\s+"([A-Za-z0-9_.\-\[\]]+)([^"]*)",', pyproject, re.M)
    assert deps
    for name, spec in deps:
        assert spec.startswith("=="), f"{name} is not pinned"


def test_the_sample_copies_match_the_shared_samples_when_present():
    shared = ROOT.parent / "shared" / "data" / "samples"
    if not shared.is_dir():
        return  # a machine without the shared folder uses the copies
    copies = ROOT / "tests" / "samples" / "analyst"
    for original in shared.iterdir():
        assert (copies / original.name).read_bytes() == original.read_bytes(), original.name
