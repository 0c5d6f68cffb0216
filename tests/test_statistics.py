"""Intervals for every figure, the paired test over units, the minimum detectable effect, Holm's
correction and the design effects (issue 13), each against an independent computation."""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from newsgold_tests_oracle import count_matrices

from newsgold.cli import main
from newsgold.convert.jsonl import to_jsonl
from newsgold.model import Document, Entity, Gold, KBEntry, Prediction, Quote
from newsgold.scoring import (
    LAYERS,
    compare,
    get_scheme,
    gold_as_predictions,
    holm,
    minimum_detectable_effect,
    randomization_sums,
    score,
)
from newsgold.validate import iter_predictions, load_gold

LABELS = ("PER", "ORG", "GPE", "LOC", "NORP")


def _bootstrap_draws(n_units: int, n: int, seed: int) -> list[list[int]]:
    """The units each resample draws, as the scorer documents it: numpy's PCG64 seeded with
    ``seed``, ``integers(0, units)`` drawn in blocks of min(128, 50000 // units) resamples."""
    rng = np.random.default_rng(seed)
    chunk = max(1, min(128, 50_000 // n_units))
    draws: list[list[int]] = []
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        draws += rng.integers(0, n_units, size=(hi - lo, n_units)).tolist()
    return draws


def _percentiles(values: list[float]) -> list[float] | None:
    ok = [v for v in values if not math.isnan(v)]
    if not ok:
        return None
    lo, hi = np.percentile(ok, [2.5, 97.5])
    return [round(float(lo), 6), round(float(hi), 6)]


def _div(a: float, b: float) -> float:
    return a / b if b else math.nan


def _random_case(seed: int) -> tuple[Gold, list[Prediction]]:
    rng = random.Random(seed)
    text = "Putin met Biden. NATO said so.\n\nThe EU and Russia. Kyiv waited.\n\nMoscow spoke."
    words = [(m, m + 4) for m in range(0, len(text) - 5, 5)]
    docs, preds = {}, []
    kb = ("nato", "vladimir-putin", "joe-biden")
    for i in range(6):
        ents = sorted(
            {
                (s, e, rng.choice(LABELS), rng.choice((None, *kb)))
                for s, e in rng.sample(words, rng.randint(2, 8))
            }
        )
        ents = [x for k, x in enumerate(ents) if k == 0 or x[0] != ents[k - 1][0]]
        quotes = [
            Quote(s, s + 8, text[s : s + 8], rng.choice(["direct", "indirect"]), rng.choice(kb))
            for s in sorted(rng.sample(range(0, len(text) - 10, 12), 2))
        ]
        doc_ents = tuple(Entity(s, e, text[s:e], lab, k) for s, e, lab, k in ents)
        docs[f"d{i}"] = Document(
            f"d{i}", text, "2021-12-30", "r", entities=doc_ents, quotes=tuple(quotes)
        )
        pred_ents = tuple(
            Entity(e.start, e.end + rng.choice([0, 0, 1]), label=rng.choice(LABELS), kb_id=e.kb_id)
            for e in doc_ents
            if rng.random() < 0.8
        )
        pred_quotes = tuple(
            Quote(q.start, q.end, kind=q.kind, speaker=rng.choice(kb))
            for q in quotes
            if rng.random() < 0.7
        )
        preds.append(Prediction(f"d{i}", entities=pred_ents, quotes=pred_quotes))
    kb_entries = tuple(KBEntry(k, k, "PER", ()) for k in kb)
    return Gold(docs, kb_entries), preds


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("unit", ["document", "paragraph", "sentence"])
def test_intervals_equal_an_independent_bootstrap(seed: int, unit: str) -> None:
    """With a fixed seed, every kind of figure's interval (accuracies, per label, macro, slices,
    per kind) equals a bootstrap written here: the same draws over the oracle's count rows, each
    figure recomputed from its own formula, the 2.5th and 97.5th percentiles of the defined values."""
    gold, preds = _random_case(seed)
    n_boot = 200
    report = score(gold, preds, n_bootstrap=n_boot, seed=seed, unit=unit).to_json()
    sch = get_scheme("newsgold")
    mats, _, _ = count_matrices(gold, preds, sch, unit)
    ent = {c: k for k, c in enumerate(LAYERS["entities"].column_names(sch.labels))}
    quo = {c: k for k, c in enumerate(LAYERS["quotes"].column_names(sch.labels))}
    draws = _bootstrap_draws(len(mats["entities"]), n_boot, seed)

    def boot(layer: str, formula: Any) -> list[float] | None:
        rows = mats[layer]
        return _percentiles([formula(rows[idx].sum(axis=0)) for idx in draws])

    def macro_strict_f1(s: Any) -> float:
        f1s = [
            _div(2 * s[ent[f"{lab}:exact"]], s[ent[f"{lab}:gold"]] + s[ent[f"{lab}:pred"]])
            for lab in LABELS
        ]
        ok = [f for f in f1s if not math.isnan(f)]
        return sum(ok) / len(ok) if ok else math.nan

    e, q = report["entities"], report["quotes"]
    checks = [
        (
            e["kb_id_accuracy_ci95"],
            boot(
                "entities",
                lambda s: (
                    _div(s[ent["strict_kb"]], s[ent["strict"]]) if s[ent["linked"]] else math.nan
                ),
            ),
        ),
        (
            e["per_label"]["PER"]["strict"]["precision_ci95"],
            boot("entities", lambda s: _div(s[ent["PER:exact"]], s[ent["PER:pred"]])),
        ),
        (e["macro"]["strict"]["f1_ci95"], boot("entities", macro_strict_f1)),
        (
            e["strict"]["recall_ci95"],
            boot("entities", lambda s: _div(s[ent["strict"]], s[ent["gold"]])),
        ),
        (
            e["slices"]["length"]["1"]["recall_ci95"],
            boot(
                "entities",
                lambda s: _div(s[ent["slice:length=1:correct"]], s[ent["slice:length=1:gold"]]),
            ),
        ),
        (
            q["speaker_accuracy_ci95"],
            boot("quotes", lambda s: _div(s[quo["speaker_ok"]], s[quo["matched"]])),
        ),
        (
            q["per_kind"]["direct"]["recall_ci95"],
            boot("quotes", lambda s: _div(s[quo["direct:gold_matched"]], s[quo["direct:gold"]])),
        ),
    ]
    for got, want in checks:
        assert got == want
    assert any(want is not None and want[0] < want[1] for _, want in checks)


def test_an_undefined_figure_has_a_null_interval() -> None:
    """No kb_id predicted: kb_id accuracy and its interval are null; a label neither side has:
    null figures and null intervals; a defined accuracy has an interval."""
    doc = Document(
        "d",
        "Putin met Biden.",
        "2021-12-30",
        "r",
        entities=(Entity(0, 5, "Putin", "PER", "p"), Entity(10, 15, "Biden", "PER", "b")),
        quotes=(Quote(0, 15, "Putin met Biden", "direct", "p"),),
    )
    gold = Gold({"d": doc}, (KBEntry("p", "Putin", "PER", ()),))
    pred = [
        Prediction("d", entities=(Entity(0, 5, label="PER"),), quotes=(Quote(0, 9, speaker="p"),))
    ]
    r = score(gold, pred, n_bootstrap=50).to_json()
    assert r["entities"]["kb_id_accuracy"] is None and r["entities"]["kb_id_accuracy_ci95"] is None
    loc = r["entities"]["per_label"]["LOC"]["strict"]
    assert loc["f1"] is None and loc["f1_ci95"] is None and loc["precision_ci95"] is None
    assert r["quotes"]["speaker_accuracy"] == 1.0
    assert r["quotes"]["speaker_accuracy_ci95"] == [1.0, 1.0]
    # no bootstrap: the same keys, null
    r0 = score(gold, pred, n_bootstrap=0).to_json()
    assert r0["quotes"]["speaker_accuracy_ci95"] is None
    assert "recall_ci95" in r0["entities"]["per_label"]["PER"]["strict"]


def test_slice_figures_by_hand() -> None:
    """Mention length and first/later mention, counted by hand on one sentence."""
    text = "Vladimir Putin met Joe R. Biden and Putin thanked Biden in Moscow."
    spans = [
        ("Vladimir Putin", 0, "vladimir-putin"),  # 2 tokens, first
        ("Joe R. Biden", 0, "joe-biden"),  # Joe R . Biden: 4 tokens, first
        ("Putin", 1, "vladimir-putin"),  # 1 token, later
        ("Biden", 1, "joe-biden"),  # 1 token, later
        ("Moscow", 0, "moscow"),  # 1 token, first
    ]
    ents = []
    pos = 0
    for surface, occurrence, kb in spans:
        start = text.index(surface, pos if occurrence else 0)
        pos = start + len(surface)
        ents.append(Entity(start, start + len(surface), surface, "PER", kb))
    doc = Document("d", text, "2021-12-30", "r", entities=tuple(ents))
    gold = Gold({"d": doc}, ())
    # right: Vladimir Putin, Putin (later), Moscow; wrong extent: "Joe R" (2 tokens, spurious
    # in slice 2); Biden (later) missed
    pred = [
        Prediction(
            "d",
            entities=(
                Entity(ents[0].start, ents[0].end, label="PER"),
                Entity(ents[1].start, ents[1].start + 5, label="PER"),
                Entity(ents[2].start, ents[2].end, label="PER"),
                Entity(ents[4].start, ents[4].end, label="PER"),
            ),
        )
    ]
    s = score(gold, pred, n_bootstrap=0).to_json()["entities"]["slices"]
    assert s["length"]["1"] == s["length"]["1"] | {"gold": 3, "predicted": 2, "recall": 0.666667}
    assert s["length"]["1"]["precision"] == 1.0
    assert (s["length"]["2"]["gold"], s["length"]["2"]["predicted"]) == (1, 2)
    assert s["length"]["2"]["precision"] == 0.5 and s["length"]["2"]["recall"] == 1.0
    assert s["length"]["3"]["f1"] is None and s["length"]["3"]["gold"] == 0
    assert (s["length"]["4+"]["gold"], s["length"]["4+"]["recall"]) == (1, 0.0)
    assert s["mention"]["first"] == s["mention"]["first"] | {"gold": 3, "recall": 0.666667}
    assert s["mention"]["later"] == s["mention"]["later"] | {"gold": 2, "recall": 0.5}


# --------------------------------------------------------------------------- compare


def _write(path: Path, preds: Any) -> Path:
    path.write_text(to_jsonl(preds), encoding="utf-8")
    return path


def test_compare_a_perfect_system_against_a_real_one(root: Path, tmp_path: Path) -> None:
    """The gold as predictions against the bundled rules system: over paragraphs p is far below
    0.05; over the five documents the exact test stops at 0.0625 and the output says why."""
    gold = load_gold(root)
    perfect = _write(tmp_path / "perfect.jsonl", gold_as_predictions(gold))
    real = root / "eval" / "submissions" / "rules" / "predictions.jsonl"
    runner = CliRunner()
    base = ["compare", str(perfect), str(real), "--resamples", "2000", "--root", str(root)]
    para = runner.invoke(main, [*base, "--unit", "paragraph"])
    assert para.exit_code == 0, para.output
    assert f"A = {perfect}, B = {real}" in " ".join(para.stdout.split())
    data = json.loads(runner.invoke(main, [*base, "--unit", "paragraph", "--json", "-"]).stdout)
    assert data["systems"] == {"A": str(perfect), "B": str(real)}
    assert data["test"]["unit"] == "paragraph" and data["test"]["units"] == 65
    fig = data["figures"]["entities.strict.f1"]
    assert fig["difference"] > 0.15
    assert fig["p_value"] < 0.005
    assert fig["difference_ci95"][0] > 0 and fig["mde"] < fig["difference"]
    doc = runner.invoke(main, [*base, "--unit", "document", "--json", "-"])
    d = json.loads(doc.stdout)
    assert d["figures"]["entities.strict.f1"]["p_value"] == 0.0625
    assert d["figures"]["entities.strict.f1"]["mde"] is None
    assert d["test"]["smallest_p_value"] == 0.0625
    text = runner.invoke(main, [*base, "--unit", "document"])
    said = " ".join((text.stdout + text.stderr).split())
    assert "smallest p-value this test can reach on 5 documents is 0.0625 > 0.05" in said
    assert "no difference can be significant" in said


def _simulate_units(
    rng: np.random.Generator, n_units: int, size: int, p_a: float, p_b: float
) -> tuple[Any, Any]:
    """Count rows (gold, pred, matched) of two systems that predict ``size`` spans per unit, each
    right (matching one of the unit's ``size`` gold spans) with probability p_a / p_b, so that
    F1 = precision = recall = the share right."""
    gold = np.full(n_units, size)
    found_a = rng.binomial(size, p_a, n_units)
    found_b = rng.binomial(size, p_b, n_units)
    rows_a = np.stack([gold, gold, found_a], axis=1).astype(float)
    rows_b = np.stack([gold, gold, found_b], axis=1).astype(float)
    return rows_a, rows_b


def test_minimum_detectable_effect_against_a_direct_simulation() -> None:
    """The formula's MDE, fed the standard error of the difference and the number of units, is
    detected about 80% of the time: simulate many corpora whose true F1 difference is the MDE and
    run the randomisation test on each (the test of compare, on F1 = 2·matched / (gold + pred)).
    The plain z formula (no unit count) is smaller, and the test detects it less often."""
    rng = np.random.default_rng(5)
    n_units, size, p_a = 60, 5, 0.75
    # the standard error of the F1 difference of two independent systems (F1 = the share right),
    # under the alternative: solved with the MDE by fixed-point iteration
    p_b = p_a
    for _ in range(50):
        se = math.sqrt((p_a * (1 - p_a) + p_b * (1 - p_b)) / (n_units * size))
        mde = minimum_detectable_effect(se, n_units)
        p_b = p_a - mde
    z_formula = minimum_detectable_effect(se)
    assert z_formula == pytest.approx((1.959964 + 0.841621) * se, rel=1e-5)
    assert z_formula < mde
    # the solution satisfies its equation
    assert mde == pytest.approx(1.959964 * math.sqrt(se**2 + mde**2 / n_units) + 0.841621 * se)

    def f1(sums: Any) -> Any:
        return 2 * sums[:, 2] / (sums[:, 0] + sums[:, 1])

    trials, hits = 400, 0
    for t in range(trials):
        a, b = _simulate_units(rng, n_units, size, p_a, p_a - mde)
        observed = f1(a.sum(axis=0, keepdims=True)) - f1(b.sum(axis=0, keepdims=True))
        sa, sb, exact = randomization_sums(a, b, 1000, seed=t)
        assert not exact
        swapped = f1(sa) - f1(sb)
        p = (np.sum(np.abs(swapped) >= abs(observed[0]) - 1e-12) + 1) / (swapped.size + 1)
        hits += p < 0.05
    power = hits / trials
    assert 0.72 <= power <= 0.88, power


def test_compare_reports_the_mde_from_the_paired_bootstrap(root: Path) -> None:
    """The MDE of compare is the formula applied to the reported standard error."""
    gold = load_gold(root)
    sch = get_scheme("newsgold")
    problems: list[Any] = []
    sub = root / "eval" / "submissions"
    a = list(
        iter_predictions(
            sub / "rules" / "predictions.jsonl", gold.docs, problems, labels=sch.accepted
        )
    )
    b = list(
        iter_predictions(
            sub / "heideltime" / "predictions.jsonl", gold.docs, problems, labels=sch.accepted
        )
    )
    assert not problems
    out = compare(gold, a, b, layers=["dates"], n_resamples=500).to_json()
    fig = out["figures"]["dates.value_f1"]
    units = out["test"]["units"]
    assert fig["mde"] == pytest.approx(
        minimum_detectable_effect(fig["standard_error"], units), abs=2e-6
    )
    assert out["test"]["unit"] == "paragraph" and not out["test"]["exact"]


# --------------------------------------------------------------------------- Holm and the board


def test_holm_by_hand() -> None:
    """Holm's step-down adjustment, computed by hand: 3 tests at 0.01, 0.04, 0.03."""
    assert holm([0.01, 0.04, 0.03]) == [0.03, 0.06, 0.06]
    assert holm([0.5]) == [0.5]
    assert holm([0.02, 0.5, None]) == [0.04, 0.5, None]
    # sorted 0.2, 0.3, 0.6, 0.9 → 0.8, 0.9, min(1, 1.2), max(running 1.0, 0.9)
    assert holm([0.3, 0.2, 0.9, 0.6]) == [0.9, 0.8, 1.0, 1.0]
    assert holm([]) == []


def test_board_groups_systems_into_statistical_ties(root: Path) -> None:
    """leaderboard.json: per layer, the tie with the best is the best and every system whose
    Holm-adjusted p (recomputed here from the raw p-values) is at least 0.05; the unit is stated."""
    board = json.loads((root / "eval" / "leaderboard.json").read_text(encoding="utf-8"))
    assert board["paired_test"]["unit"] == "paragraph"
    assert "Holm" in board["paired_test"]["correction"]
    separated = 0
    for layer, table in board["layers"].items():
        rows = table["rows"]
        raw = [r["p_value_vs_best"] for r in rows[1:]]
        adjusted = [None if p is None else round(p, 6) for p in holm(raw)]
        assert [r["p_value_vs_best_holm"] for r in rows[1:]] == pytest.approx(adjusted, abs=2e-6)
        tied = [rows[0]["system_id"]] + [
            r["system_id"]
            for r, p in zip(rows[1:], adjusted, strict=True)
            if p is not None and p >= 0.05
        ]
        assert table["tied_with_best"] == tied, layer
        separated += len(rows) - len(tied)
    assert separated >= 1  # over paragraphs, the board can tell some systems apart
    md = (root / "eval" / "LEADERBOARD.md").read_text(encoding="utf-8")
    assert "Holm" in md and "over paragraphs" in md and "Statistical tie with the best" in md
    page = (root / "eval" / "index.html").read_text(encoding="utf-8")
    assert 'id="tie-dates"' in page and "Holm p" in page


# --------------------------------------------------------------------------- design effects


def test_design_effect_is_the_ratio_of_two_bootstrap_variances(root: Path) -> None:
    """unit_effects' design effect equals the clustered (documents) over the naive (units)
    bootstrap variance computed here from the oracle's rows and the documented draws."""
    from newsgold.scoring.design import unit_effects

    gold = load_gold(root)
    sch = get_scheme("newsgold")
    problems: list[Any] = []
    path = root / "eval" / "submissions" / "rules" / "predictions.jsonl"
    preds = list(iter_predictions(path, gold.docs, problems, labels=sch.accepted))
    rows = {
        (r.figure, r.unit): r for r in unit_effects(gold, preds, layers=["quotes"], n_resamples=300)
    }
    unit_rows, _, _ = count_matrices(gold, preds, sch, "paragraph")
    doc_rows, _, _ = count_matrices(gold, preds, sch, "document")
    quo = {c: k for k, c in enumerate(LAYERS["quotes"].column_names(sch.labels))}

    def variance(mat: Any) -> float:
        vals = []
        for idx in _bootstrap_draws(len(mat), 300, 0):
            s = mat[idx].sum(axis=0)
            vals.append(_div(2 * s[quo["speaker_ok"]], s[quo["gold"]] + s[quo["pred"]]))
        return float(np.var(vals, ddof=1))

    got = rows[("quotes.end_to_end.f1", "paragraph")]
    naive, clustered = variance(unit_rows["quotes"]), variance(doc_rows["quotes"])
    assert got.variance == pytest.approx(naive, rel=1e-9)
    assert got.clustered_variance == pytest.approx(clustered, rel=1e-9)
    assert got.design_effect == pytest.approx(clustered / naive, rel=1e-9)
    assert rows[("quotes.end_to_end.f1", "document")].design_effect == pytest.approx(1.0)


def test_units_script_prints_the_table_the_docs_quote(root: Path) -> None:
    """scripts/units.py runs and docs/statistics.md quotes its output as it is now."""
    result = subprocess.run(
        [sys.executable, str(root / "scripts" / "units.py"), "--root", str(root)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "| rules | entities.strict.f1 |" in result.stdout
    assert "| paragraph (default) | 65 |" in result.stdout
    docs = (root / "docs" / "statistics.md").read_text(encoding="utf-8")
    assert result.stdout.strip() in docs


def test_run_score_and_score_take_the_unit(root: Path, tmp_path: Path) -> None:
    """`newsgold run --score --unit sentence` records the unit; `score --unit sentence` of the
    written predictions gives the same report (intervals included)."""
    import shlex

    tagger = Path(__file__).parent / "fixtures" / "timeml" / "toy_tagger.py"
    command = f"{shlex.quote(sys.executable)} {shlex.quote(str(tagger))} {{input}} {{output}}"
    out, report_path = tmp_path / "toy.jsonl", tmp_path / "report.json"
    common = ["--bootstrap", "200", "--unit", "sentence", "--root", str(root)]
    result = CliRunner().invoke(
        main,
        ["run", "--cmd", command, "--out", str(out), "--score", "--json", str(report_path),
         "--no-progress", *common],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["bootstrap"]["unit"] == "sentence" and report["bootstrap"]["units"] == 126
    assert report["dates"]["value_accuracy_ci95"] is not None
    rescored = CliRunner().invoke(main, ["score", str(out), "--json", "-", *common])
    assert rescored.exit_code == 0, rescored.output
    report.pop("run")
    assert json.loads(rescored.stdout) == report
    bad = CliRunner().invoke(main, ["score", str(out), "--unit", "word", "--root", str(root)])
    assert bad.exit_code == 2 and "'word' is not one of 'document', 'paragraph', 'sentence'" in (
        bad.output
    )


def test_a_slice_registered_later_reaches_the_report() -> None:
    """register_slice: a new slicing of the entities (gold mentions with and without a kb_id)
    gets its columns from the engine and its figures, with intervals, in the report; a layer
    without a slice verdict refuses one; unregistering restores the report."""
    from newsgold.scoring import Slice, register_slice
    from newsgold.scoring.registry import unregister_slice

    def linked(gold: Any, cols: Any, side: Any, g_start: Any, g_end: Any) -> Any:
        return np.array([0 if k is not None else 1 for k in side.values["kb_id"]], dtype=np.int64)

    gold, preds = _random_case(3)
    before = score(gold, preds, n_bootstrap=50).to_json()  # the same gold object, scored first
    piece = Slice("linked", ("linked", "unlinked"), linked, pred=False, title="gold kb_id or not")
    with pytest.raises(ValueError, match="dates declares no slice verdict"):
        register_slice("dates", piece)
    register_slice("entities", piece)
    try:
        with pytest.raises(ValueError, match="has a slice 'linked' already"):
            register_slice("entities", piece)
        after = score(gold, preds, n_bootstrap=50).to_json()["entities"]["slices"]
        n_linked = sum(1 for d in gold.docs.values() for e in d.entities if e.kb_id is not None)
        assert after["linked"]["linked"]["gold"] == n_linked
        total = sum(len(d.entities) for d in gold.docs.values())
        assert after["linked"]["unlinked"]["gold"] == total - n_linked
        assert "recall_ci95" in after["linked"]["linked"]
        assert after["length"] == before["entities"]["slices"]["length"]
    finally:
        unregister_slice("entities", "linked")
    assert score(gold, preds, n_bootstrap=50).to_json() == before


def test_evaluate_takes_the_unit() -> None:
    """newsgold.evaluate(..., unit=) scores a callable system over sentences."""
    from newsgold import evaluate

    def shouter(text: str, dct: str) -> dict[str, Any]:
        return {"entities": [{"start": 0, "end": 1, "label": "PER"}]}

    report = evaluate(shouter, layers=["entities"], n_bootstrap=20, unit="sentence").to_json()
    assert report["bootstrap"]["unit"] == "sentence" and report["bootstrap"]["units"] == 126
    assert report["entities"]["strict"]["precision_ci95"] is not None
