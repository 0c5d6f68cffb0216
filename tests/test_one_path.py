"""One projection, one check, one engine: every entry point agrees on the same predictions.

For random predictions on the real gold under every scheme (OntoNotes DATE/TIME
entities on the span of a predicted date included), the figures of
``score()``, the counts the HTML error report shows (its per-layer header,
through ``diagnose``), and the leaderboard's figures (a real run of
``run_leaderboard`` over a submissions folder) are equal.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import pytest

from newsgold.jsonio import dumps_jsonl_line, prediction_to_json
from newsgold.leaderboard import run_leaderboard
from newsgold.model import Date, Entity, Gold, Prediction, Quote
from newsgold.report import diagnose, to_html
from newsgold.scoring import LAYERS, get_scheme, score
from newsgold.scoring.quotes import speaker_resolver
from newsgold.validate import load_gold

LABELS = {
    "newsgold": ["PER", "ORG", "GPE", "LOC", "NORP"],
    "ontonotes": ["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "DATE", "TIME", "CARDINAL"],
    "conll": ["PER", "ORG", "LOC", "MISC"],
}


def _near(rng: random.Random, start: int, end: int, n: int) -> tuple[int, int]:
    s = max(0, start + rng.choice([0, 0, 0, -1, 1, 3]))
    e = min(n, max(s + 1, end + rng.choice([0, 0, 0, 1, -1, 4])))
    return s, e


def _predictions(gold: Gold, scheme: str, seed: int) -> list[Prediction]:
    rng = random.Random(seed)
    out = []
    for doc in gold.docs.values():
        n = len(doc.text)
        ents = []
        for e in doc.entities:
            if rng.random() < 0.8:
                s, t = _near(rng, e.start, e.end, n)
                ents.append(
                    Entity(
                        s, t, label=rng.choice(LABELS[scheme]), kb_id=rng.choice([None, e.kb_id])
                    )
                )
        dates = []
        for d in doc.dates:
            if rng.random() < 0.7:
                s, t = _near(rng, d.start, d.end, n)
                typ = rng.choice([d.type, d.type, None, "SET"])
                value = d.value if typ in (d.type, None) and rng.random() < 0.7 else None
                dates.append(Date(s, t, type=typ, value=value))
                if scheme == "ontonotes" and rng.random() < 0.5:
                    ents.append(Entity(s, t, label="DATE"))  # the same span as a predicted date
        quotes = []
        for q in doc.quotes:
            if rng.random() < 0.7:
                s, t = _near(rng, q.start, q.end, n)
                quotes.append(
                    Quote(
                        s,
                        t,
                        kind=rng.choice(["direct", "partial", None]),
                        speaker=rng.choice([None, q.speaker, "Putin"]),
                    )
                )
        for _ in range(rng.randint(0, 4)):  # spurious ones
            s = rng.randrange(n - 10)
            ents.append(Entity(s, s + rng.randint(1, 9), label=rng.choice(LABELS[scheme])))
        out.append(Prediction(doc.doc_id, tuple(ents), tuple(dates), tuple(quotes)))
    return out


def _report_counts(gold: Gold, preds: list[Prediction], scheme: str) -> dict[str, dict[str, int]]:
    """The HTML report's verdicts, counted as its header counts them (one per pair)."""
    resolve = speaker_resolver(gold.kb)
    by_id = {p.doc_id: p for p in preds}
    counts: dict[str, dict[str, int]] = {layer: {} for layer in LAYERS}
    for doc_id, doc in gold.docs.items():
        for layer, items in diagnose(doc, by_id.get(doc_id), scheme, resolve).items():
            for x in items:
                if x["side"] == "gold" or x["verdict"] == "spurious":
                    counts[layer][x["verdict"]] = counts[layer].get(x["verdict"], 0) + 1
    return counts


@pytest.mark.parametrize("scheme", ["newsgold", "ontonotes", "conll"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_score_report_and_board_agree(tmp_path: Path, root: Path, scheme: str, seed: int) -> None:
    gold = load_gold(root)
    preds = _predictions(gold, scheme, seed)
    report = score(gold, preds, scheme=scheme, n_bootstrap=0).to_json()
    shown = _report_counts(gold, preds, scheme)

    ent = report["entities"]["strict"]
    assert shown["entities"].get("correct", 0) == ent["correct"]
    assert (
        shown["entities"].get("partial", 0) + shown["entities"].get("wrong-type", 0)
        == ent["incorrect"]
    )
    assert shown["entities"].get("missed", 0) == ent["missed"]
    assert shown["entities"].get("spurious", 0) == ent["spurious"]
    for layer, relaxed in (("dates", "relaxed"), ("quotes", "overlap")):
        fig = report[layer]
        matched = round(fig[relaxed]["recall"] * fig["gold"]) if fig["gold"] else 0
        assert shown[layer].get("missed", 0) == fig["gold"] - matched, layer
        assert shown[layer].get("spurious", 0) == fig["predicted"] - matched, layer

    # the HTML page's own header says the same
    html = to_html(score(gold, preds, scheme=scheme, n_bootstrap=0), gold, preds)
    header_correct = sum(int(x) for x in re.findall(r"<h3>entities \([^)]*?\bcorrect (\d+)", html))
    assert header_correct == ent["correct"]

    # the leaderboard, run on a submissions folder holding the same predictions
    sub = tmp_path / "submissions" / "sys"
    sub.mkdir(parents=True)
    meta: dict[str, Any] = json.loads(
        (root / "eval" / "submissions" / "rules" / "submission.json").read_text(encoding="utf-8")
    )
    meta.update(system_id="sys", name="Random system", scheme=scheme)
    (sub / "submission.json").write_text(json.dumps(meta), encoding="utf-8")
    (sub / "predictions.jsonl").write_text(
        "".join(dumps_jsonl_line(prediction_to_json(p)) for p in preds), encoding="utf-8"
    )
    outcome = run_leaderboard(
        gold,
        tmp_path / "submissions",
        tmp_path / "out",
        corpus_version=meta["corpus_version"],
        n_bootstrap=0,
        n_resamples=10,
    )
    assert not outcome.invalid
    for layer, table in outcome.board["layers"].items():
        [row] = table["rows"]
        for path, fig in row["figures"].items():
            node: Any = report[layer]
            for part in path.split("."):
                node = node[part]
            assert fig["value"] == node, (layer, path)


def test_ontonotes_date_entity_on_a_predicted_date_is_one_date(root: Path) -> None:
    """The case the first version got wrong three ways: one predicted date in the figures, no
    extra spurious date in the HTML report, no crash in the leaderboard's projection."""
    from newsgold.leaderboard import to_newsgold_labels

    gold = load_gold(root)
    doc = next(d for d in gold.docs.values() if d.dates)
    g = doc.dates[0]
    pred = Prediction(
        doc.doc_id,
        entities=(Entity(g.start, g.end, label="DATE"), Entity(0, 3, label="TIME")),
        dates=(Date(g.start, g.end, type=g.type, value=g.value), Date(10, 12, type="DATE")),
    )
    rep = score(gold, [pred], scheme="ontonotes", layers=["dates"], n_bootstrap=0)
    assert rep.figure("dates.predicted") == 3  # g, (10,12), and the TIME entity at (0,3)
    verdicts = [
        x["verdict"] for x in diagnose(doc, pred, "ontonotes")["dates"] if x["side"] == "pred"
    ]
    assert len(verdicts) == 3
    projected = to_newsgold_labels(pred, "ontonotes")
    assert sorted((d.start, d.end, d.value) for d in projected.dates or ()) == sorted(
        [(g.start, g.end, g.value), (10, 12, None), (0, 3, None)]
    )
    assert get_scheme("ontonotes").project(pred).prediction == projected


@pytest.mark.parametrize("scheme", ["newsgold", "ontonotes", "conll"])
def test_validate_predictions_accepts_what_score_accepts(
    root: Path, tmp_path: Path, scheme: str
) -> None:
    """`newsgold validate --predictions --scheme S` and `newsgold score --scheme S` agree on every
    file: the same verdict, the same problems (one wording), for valid and broken submissions."""
    from click.testing import CliRunner

    from newsgold.cli import main

    gold = load_gold(root)
    runner = CliRunner()
    outcomes = set()
    for seed in range(6):
        rng = random.Random(seed)
        labels_of = scheme if seed % 3 == 0 else rng.choice(list(LABELS))  # or another scheme's
        preds = _predictions(gold, labels_of, seed)
        lines = [prediction_to_json(p) for p in preds]
        if seed % 3 == 1:
            lines[0]["entities"] = [{"start": 0, "end": 10**6, "label": "PER"}]
        if seed % 3 == 2:
            lines.append(dict(lines[1]))  # a document twice
        path = tmp_path / f"p{seed}.jsonl"
        path.write_text("".join(dumps_jsonl_line(x) for x in lines), encoding="utf-8")
        checked = runner.invoke(main, ["validate", "--predictions", str(path), "--scheme", scheme])
        scored = runner.invoke(main, ["score", str(path), "--scheme", scheme, "--bootstrap", "0"])
        assert checked.exit_code == scored.exit_code, (seed, checked.output, scored.output)
        outcomes.add(checked.exit_code)
        if checked.exit_code:
            assert checked.stderr == scored.stderr, seed
    assert outcomes == {0, 1}  # both verdicts were exercised
