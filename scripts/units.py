"""Interval widths and design effects of the bundled systems under each resampling unit.

For every bundled system (eval/submissions/) and every headline figure it
prints the width of the 95% bootstrap interval when documents, paragraphs or
sentences are resampled, and the design effect of paragraphs and sentences:
the bootstrap variance with whole documents drawn (the clustered bootstrap)
over the bootstrap variance with the units drawn independently
(:mod:`newsgold.scoring.design`). The last table averages over systems and
figures, with the smallest p-value the paired test can reach under each unit.
docs/statistics.md quotes this output and explains the default unit.

Usage: .venv/bin/python scripts/units.py [--resamples N] [--root DIR] [--update-docs]

``--update-docs`` rewrites the block between the ``units.py`` markers of
docs/statistics.md with this output (tests/test_statistics.py checks they agree).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from newsgold.leaderboard.submissions import check_files, discover, stream_predictions
from newsgold.scoring import DEFAULT_UNIT, UNITS, smallest_p_value
from newsgold.scoring.design import UnitEffect, unit_effects
from newsgold.validate import load_gold


def _f(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def effects(root: Path, n_resamples: int) -> dict[str, list[UnitEffect]]:
    """Every bundled system's :class:`UnitEffect` rows, by system id."""
    gold = load_gold(root)
    folder = root / "eval" / "submissions"
    out: dict[str, list[UnitEffect]] = {}
    for entry in discover(folder):
        sub, problems = check_files(entry, folder)
        if sub is None or problems:
            raise SystemExit(f"{entry}: invalid submission: {problems[:1]}")
        found: list = []
        preds = list(stream_predictions(sub, gold, found))
        out[sub.system_id] = unit_effects(
            gold, preds, scheme=sub.scheme, layers=sub.layers, n_resamples=n_resamples
        )
    return out


def render(table: dict[str, list[UnitEffect]], n_resamples: int, documents: int) -> str:
    """The Markdown tables docs/statistics.md quotes."""
    lines = [
        "| system | figure | value | width document | width paragraph | width sentence "
        "| deff paragraph | deff sentence |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for system, rows in table.items():
        by = {(r.figure, r.unit): r for r in rows}
        for figure in dict.fromkeys(r.figure for r in rows):
            d, p, s = (by[(figure, u)] for u in UNITS)
            lines.append(
                f"| {system} | {figure} | {_f(d.value)} | {_f(d.width)} | {_f(p.width)} "
                f"| {_f(s.width)} | {_f(p.design_effect, 2)} | {_f(s.design_effect, 2)} |"
            )
    lines += [
        "",
        "| unit | units | median width | median design effect | effective units "
        "| smallest p (paired test) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for unit in UNITS:
        rows = [r for rs in table.values() for r in rs if r.unit == unit]
        widths = [r.width for r in rows if r.width is not None]
        deffs = [r.design_effect for r in rows if r.design_effect is not None]
        n = rows[0].units
        deff = statistics.median(deffs) if deffs else None
        lines.append(
            f"| {unit}{' (default)' if unit == DEFAULT_UNIT else ''} | {n} "
            f"| {_f(statistics.median(widths))} | {_f(deff, 2)} "
            f"| {_f(n / deff if deff else None, 1)} "
            f"| {smallest_p_value(n, n_resamples):.4g} |"
        )
    lines.append("")
    lines.append(
        f"({n_resamples} bootstrap resamples, seed 0; {documents} documents; the document "
        "unit's design effect is 1 by definition.)"
    )
    return "\n".join(lines)


BEGIN = "<!-- units.py output begins: regenerate with scripts/units.py --update-docs -->"
END = "<!-- units.py output ends -->"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resamples", type=int, default=2000)
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--update-docs", action="store_true")
    args = parser.parse_args(argv)
    table = effects(args.root, args.resamples)
    documents = len(load_gold(args.root).docs)
    text = render(table, args.resamples, documents)
    sys.stdout.write(text + "\n")
    if args.update_docs:
        from newsgold.jsonio import atomic_write

        path = args.root / "docs" / "statistics.md"
        doc = path.read_text(encoding="utf-8")
        head, _, rest = doc.partition(BEGIN)
        _, _, tail = rest.partition(END)
        if not rest or not tail:
            raise SystemExit(f"{path}: the units.py markers are missing")
        atomic_write(path, f"{head}{BEGIN}\n\n{text}\n\n{END}{tail}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
