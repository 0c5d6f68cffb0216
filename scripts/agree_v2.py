"""Agreement of two annotation sets on the corpus 2.0 additions.

Indirect quotes: strict span F1 (same start and end), overlap F1 (one-to-one
greedy matching of overlapping spans, in text order), speaker accuracy over
the overlap matches, cue agreement over the overlap matches (same cue span,
or both null). Accepted alternatives: per entity or date span that carries
alternatives in either set, whether both give the same set of extents.

Usage: python scripts/agree_v2.py annotations annotations/second_pass
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def f1(matched: int, a: int, b: int) -> float:
    return 2 * matched / (a + b) if a + b else 1.0


def main(first: Path, second: Path) -> None:
    n_a = n_b = strict = 0
    pairs: list[tuple[dict, dict]] = []
    alt_spans = alt_same = alt_missing = 0
    differences: list[str] = []
    for path in sorted(first.glob("0*.json")):
        a_doc = json.loads(path.read_text(encoding="utf-8"))
        b_doc = json.loads((second / path.name).read_text(encoding="utf-8"))
        qa = [q for q in a_doc["quotes"] if q["kind"] == "indirect"]
        qb = [q for q in b_doc["quotes"] if q["kind"] == "indirect"]
        n_a += len(qa)
        n_b += len(qb)
        spans_b = {(q["start"], q["end"]) for q in qb}
        strict += sum((q["start"], q["end"]) in spans_b for q in qa)
        # exact span matches first, then the remaining quotes by overlap
        used: set[int] = set()
        left: list[dict] = []
        for q in qa:
            exact = [
                i for i, r in enumerate(qb) if (r["start"], r["end"]) == (q["start"], q["end"])
            ]
            if exact:
                used.add(exact[0])
                pairs.append((q, qb[exact[0]]))
            else:
                left.append(q)
        for q in left:
            for i, r in enumerate(qb):
                if i not in used and q["start"] < r["end"] and r["start"] < q["end"]:
                    used.add(i)
                    pairs.append((q, r))
                    break
        for layer in ("entities", "dates"):
            alt_a = {(e["start"], e["end"]): e.get("alternatives", []) for e in a_doc[layer]}
            alt_b = {(e["start"], e["end"]): e.get("alternatives", []) for e in b_doc[layer]}
            for key in sorted(
                {k for k, v in alt_a.items() if v} | {k for k, v in alt_b.items() if v}
            ):
                if key not in alt_a or key not in alt_b:
                    alt_missing += 1
                    differences.append(f"{path.stem} {layer} {key}: span not in both sets")
                    continue
                alt_spans += 1
                same = {(x["start"], x["end"]) for x in alt_a[key]} == {
                    (x["start"], x["end"]) for x in alt_b[key]
                }
                alt_same += same
                if not same:
                    differences.append(f"{path.stem} {layer} {key}: {alt_a[key]} vs {alt_b[key]}")

    def cue(q: dict) -> tuple[int, int] | None:
        return (q["cue"]["start"], q["cue"]["end"]) if q.get("cue") else None

    overlap = len(pairs)
    speakers = sum(q["speaker"] == r["speaker"] for q, r in pairs)
    cues = sum(cue(q) == cue(r) for q, r in pairs)
    print(f"indirect quotes: first {n_a}, second {n_b}")
    print(
        f"strict span: {strict} matched, P {strict / n_b:.3f} R {strict / n_a:.3f} F1 {f1(strict, n_a, n_b):.3f}"
    )
    print(
        f"overlap: {overlap} matched, P {overlap / n_b:.3f} R {overlap / n_a:.3f} F1 {f1(overlap, n_a, n_b):.3f}"
    )
    print(f"speaker accuracy over overlap matches: {speakers}/{overlap} = {speakers / overlap:.3f}")
    print(f"cue agreement over overlap matches: {cues}/{overlap} = {cues / overlap:.3f}")
    print(
        f"alternatives: same set on {alt_same}/{alt_spans} spans; {alt_missing} span(s) not in both sets"
    )
    for line in differences:
        print("  " + line)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
