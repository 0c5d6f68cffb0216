"""The reliability page (docs/reliability.md) states the attack suite's true size."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_reliability_page_states_the_number_of_cases() -> None:
    text = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    stated = re.search(r"The attack suite \(`tests/attack/`\) has (\d+) cases", text)
    assert stated, "docs/reliability.md must state the number of cases"
    listing = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--collect-only",
            str(ROOT / "tests" / "attack"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    found = re.search(r"^(\d+) tests? collected", listing.stdout, re.M)
    assert found, listing.stdout + listing.stderr
    assert int(stated.group(1)) == int(found.group(1)), "update the count in docs/reliability.md"
