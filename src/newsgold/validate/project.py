"""A whole annotation set: the seed manifest, one document per seed, unique ids, every KB
entry used; :func:`load_gold`, which loads only what validates."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

from ..errors import NewsgoldError, Problem, ValidationError, short
from ..jsonio import Paths, find_root, read_text
from ..model import Document, Gold
from .common import _display
from .gold import validate_document
from .kb import validate_kb


def validate_gold(
    paths: Paths, annotations: Path | None = None, *, partial: bool = False
) -> tuple[Gold | None, list[Problem]]:
    """Validate a whole annotation set: the KB, every document, and the set as a whole.

    Beyond each file, checks the seed manifest (``seeds/SHA256SUMS``), one gold
    document per seed and no more, unique ``doc_id`` values, and that every KB
    entry is used by a mention or a speaker.

    Args:
        paths: the project's paths (seeds, KB).
        annotations: the annotation folder (default ``annotations/``); a folder
            without its own ``kb.json`` uses the project's.
        partial: an annotator's work in progress: any subset of the documents,
            and KB entries left unused are fine (every file is still checked whole).

    Returns:
        ``(gold or None, problems)``.
    """
    root = paths.root
    folder = annotations or paths.annotations
    problems: list[Problem] = []
    if not folder.is_dir():
        return None, [
            Problem(
                _display(folder, root),
                None,
                "$",
                "no such folder (expected a folder of gold documents)",
            )
        ]
    problems += seed_manifest_problems(paths)
    kb_path = folder / "kb.json" if (folder / "kb.json").exists() else paths.kb
    kb, kb_problems = validate_kb(kb_path, root=root)
    problems += kb_problems
    kb_map = {k.kb_id: k for k in kb} if kb is not None else None

    docs: dict[str, Document] = {}
    files = sorted(p for p in folder.glob("*.json") if p.name != "kb.json")
    ids: Counter[str] = Counter()
    for path in files:
        doc, doc_problems = validate_document(path, paths.seeds, kb_map, root=root)
        problems += doc_problems
        if doc is not None:
            ids[doc.doc_id] += 1
            if doc.doc_id in docs:
                problems.append(
                    Problem(
                        _display(path, root),
                        None,
                        "$.doc_id",
                        f"duplicate document {doc.doc_id!r} (expected one file per document)",
                    )
                )
            docs[doc.doc_id] = doc
    seeds = {p.stem for p in paths.seed_files()}
    stems = {p.stem for p in files}
    for missing in sorted(seeds - stems) if not partial else ():
        problems.append(
            Problem(
                _display(folder / f"{missing}.json", root),
                None,
                "$",
                f"missing gold document for seed {missing}.txt",
            )
        )
    for extra in sorted(stems - seeds):
        problems.append(
            Problem(
                _display(folder / f"{extra}.json", root),
                None,
                "$.doc_id",
                f"no seed text seeds/{extra}.txt for this document (expected one gold file per seed)",
            )
        )

    if kb is not None and not problems and not partial:
        used = {e.kb_id for d in docs.values() for e in d.entities} | {
            q.speaker for d in docs.values() for q in d.quotes if q.speaker
        }
        for i, k in enumerate(kb):
            if k.kb_id not in used:
                problems.append(
                    Problem(
                        _display(kb_path, root),
                        None,
                        f"$[{i}]",
                        f"kb entry {k.kb_id!r} is used by no mention or speaker (expected every entry used; remove it)",
                    )
                )
    if problems:
        return None, problems
    return Gold(docs=dict(sorted(docs.items())), kb=tuple(sorted(kb or ()))), []


def seed_manifest_problems(paths: Paths) -> list[Problem]:
    """Check ``seeds/*.txt`` against ``seeds/SHA256SUMS`` (``sha256sum -c`` format)."""
    manifest = paths.seeds / "SHA256SUMS"
    display = _display(manifest, paths.root)
    try:
        text = read_text(manifest, display=display)
    except ValidationError as exc:
        return exc.problems
    out = []
    listed = set()
    for lineno, line in enumerate(text.splitlines(), start=1):
        m = re.fullmatch(r"([0-9a-f]{64}) [ *](\S+)", line)
        if not m:
            out.append(
                Problem(display, lineno, "$", f"got {short(line)}, expected '<sha256>  <file>'")
            )
            continue
        digest, name = m.groups()
        listed.add(name)
        seed = paths.seeds / name
        if not seed.is_file():
            out.append(Problem(display, lineno, "$", f"listed seed {name} does not exist"))
        elif hashlib.sha256(seed.read_bytes()).hexdigest() != digest:
            out.append(
                Problem(
                    display,
                    lineno,
                    "$",
                    f"seeds/{name} changed: its sha256 is not {digest[:12]}… (the seeds must stay byte-identical)",
                )
            )
    for seed in paths.seed_files():
        if seed.name not in listed:
            out.append(
                Problem(
                    display,
                    None,
                    "$",
                    f"seeds/{seed.name} is not listed (expected every seed in the manifest)",
                )
            )
    return out


def load_gold(
    root: str | Path | None = None,
    annotations: str | Path | None = None,
    *,
    partial: bool = False,
) -> Gold:
    """Load and validate the gold.

    Args:
        root: the project folder, a path or a string (default:
            :func:`~newsgold.jsonio.find_root`).
        annotations: another annotation folder to load instead of ``annotations/``.
        partial: accept any subset of the documents and unused KB entries (an
            annotator's folder, see :func:`validate_gold`).

    Returns:
        The gold.

    Raises:
        ValidationError: with every problem, when anything does not conform.
        NewsgoldError: when the gold installed with the package is not the one its
            corpus manifest records (``gold_sha256``).
    """
    from ..paths import is_packaged, recorded_gold_sha256

    paths = Paths(Path(root) if root is not None else find_root())
    folder = None if annotations is None else Path(annotations)
    gold, problems = validate_gold(paths, folder, partial=partial)
    if gold is None:
        raise ValidationError(problems)
    if annotations is None and is_packaged(paths.root):
        recorded = recorded_gold_sha256(paths.root)
        if recorded != gold.sha256:
            raise NewsgoldError(
                f"the installed gold at {paths.root} has sha256 {gold.sha256[:12]}…, "
                f"not the {str(recorded)[:12]}… its corpus manifest records (reinstall newsgold)"
            )
    return gold
