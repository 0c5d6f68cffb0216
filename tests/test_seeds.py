"""The seeds are the corpus: byte-identical to the shared originals, listed in SHA256SUMS."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def test_manifest_matches_files(root: Path) -> None:
    """sha256sum -c accepts the manifest: every listed seed is unchanged."""
    if shutil.which("sha256sum") is None:
        pytest.skip("sha256sum not installed")
    res = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=root / "seeds", capture_output=True, text=True
    )
    assert res.returncode == 0, res.stdout + res.stderr
    listed = sorted(
        line.split()[1] for line in (root / "seeds/SHA256SUMS").read_text().splitlines()
    )
    assert listed == sorted(p.name for p in (root / "seeds").glob("*.txt"))
    assert len(listed) == 5


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared/seeds not beside the clone")
def test_byte_identical_to_shared(root: Path) -> None:
    """Each seed equals the shared original byte for byte."""
    for original in sorted(SHARED.glob("*.txt")):
        copy = root / "seeds" / original.name
        assert (
            hashlib.sha256(copy.read_bytes()).digest()
            == hashlib.sha256(original.read_bytes()).digest()
        )
