"""Every bench still runs: each in its smallest mode, in a process of its own, printing its figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def bench(name: str, *args: str) -> str:
    result = subprocess.run([sys.executable, str(BENCH / name), *args], capture_output=True, text=True,
                            timeout=900, cwd=BENCH.parent)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return result.stdout


def test_pages_bench(tmp_path):
    out = bench("pages_bench.py", "--smoke", "--workdir", str(tmp_path))
    assert "| oversigt |" in out and "| udvikling |" in out and "fejl" not in out
    assert "after an import (median)" in out


@pytest.mark.parametrize("sessions", ["browser", "protocol"])
def test_load_bench(tmp_path, sessions):
    out = bench("load_bench.py", "--smoke", "--workdir", str(tmp_path), *(["--protocol"] if sessions == "protocol" else []))
    assert "| page views | p50 | p95 | errors |" in out and "| 6 |" in out and f"1 {sessions} sessions" in out


def test_import_bench(tmp_path):
    out = bench("import_bench.py", "--reports-rows", "3000", "--long-months", "2", "--repeat", "1", "--no-profile",
                "--quiet-wait", "0", "--workdir", str(tmp_path), "--out", str(tmp_path / "import.md"))
    assert "rows/s" in out


def test_briefing_bench():
    out = bench("briefing_bench.py", "--repeat", "1")
    assert "| format | median s | peak MB |" in out and "| pdf |" in out.lower()


def test_calibration_bench():
    out = bench("calibration.py", "--smoke")
    assert "| cases a year | unchanged series | false alarms |" in out
    assert "Doublings of series with 100 or more cases a year found:" in out and "Measured " in out
