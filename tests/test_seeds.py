"""The seeds are the corpus: byte-identical to the shared originals, listed in SHA256SUMS."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def _manifest(root: Path) -> dict[str, str]:
    """SHA256SUMS as name → hex digest; every line must be `<64 hex>  <name>`."""
    entries: dict[str, str] = {}
    for line in (root / "seeds" / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        m = re.fullmatch(r"([0-9a-f]{64}) [ *](\S+)", line)
        assert m, f"not a sha256sum line: {line!r}"
        assert m.group(2) not in entries, f"listed twice: {m.group(2)}"
        entries[m.group(2)] = m.group(1)
    return entries


def test_manifest_matches_files(root: Path) -> None:
    """Exactly five seeds, each file's sha256 computed now equal to its SHA256SUMS line, and no
    file in seeds/ that the manifest does not list."""
    listed = _manifest(root)
    assert len(listed) == 5, sorted(listed)
    on_disk = sorted(p.name for p in (root / "seeds").iterdir() if p.name != "SHA256SUMS")
    assert on_disk == sorted(listed)
    for name, digest in listed.items():
        data = (root / "seeds" / name).read_bytes()
        assert data, f"{name} is empty"
        assert hashlib.sha256(data).hexdigest() == digest, f"{name} changed"


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared/seeds not beside the clone")
def test_byte_identical_to_shared(root: Path) -> None:
    """The shared folder holds the same five seeds, and each equals ours byte for byte."""
    listed = _manifest(root)
    originals = sorted(SHARED.glob("*.txt"))
    assert sorted(p.name for p in originals) == sorted(listed)
    for original in originals:
        assert (root / "seeds" / original.name).read_bytes() == original.read_bytes()
