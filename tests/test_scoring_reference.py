"""Independent checks: entity figures against nervaluate and token-level figures against seqeval.

Both references run on at least 1000 random cases in the default test run.
nervaluate uses inclusive ends and matches greedily in input order, so it is
only compared where matching is unambiguous (every span overlaps at most one
span on the other side, also within each label); there both must agree on
every count and figure. seqeval sees IOB2 tags of the corpus tokenizer; on
spans that start and end on token boundaries its micro and per-type figures
must equal our strict ones.
"""

from __future__ import annotations

import random

import pytest
from nervaluate import Evaluator
from seqeval.metrics import classification_report, f1_score, precision_score, recall_score

from newsgold import load_gold
from newsgold.model import Document, Entity, Gold, Prediction
from newsgold.scoring import score
from newsgold.tokenize import iob2_tags, tokenize

LABELS = ("PER", "ORG", "GPE", "LOC", "NORP")
NV_MODES = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}
COUNTS = ("correct", "incorrect", "partial", "missed", "spurious")


def _random_doc(
    rng: random.Random,
) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    gold: list[tuple[int, int, str]] = []
    pos = 0
    for _ in range(rng.randint(0, 6)):
        pos += rng.randint(0, 4)
        length = rng.randint(1, 8)
        gold.append((pos, pos + length, rng.choice(LABELS)))
        pos += length
    pred: list[tuple[int, int, str]] = []
    for s, e, lab in gold:
        r = rng.random()
        if r < 0.35:
            pred.append((s, e, lab))
        elif r < 0.5:
            pred.append((s, e, rng.choice(LABELS)))
        elif r < 0.75:
            s2 = max(0, s + rng.randint(-2, 2))
            e2 = max(s2 + 1, e + rng.randint(-2, 2))
            pred.append((s2, e2, rng.choice((lab, rng.choice(LABELS)))))
    for _ in range(rng.randint(0, 2)):
        s = rng.randint(0, pos + 5)
        pred.append((s, s + rng.randint(1, 6), rng.choice(LABELS)))
    rng.shuffle(pred)
    return gold, pred


def _unambiguous(gold: list[tuple[int, int, str]], pred: list[tuple[int, int, str]]) -> bool:
    """Every span overlaps at most one span on the other side (then also within each label).

    Decided here by brute force over all pairs, not by the matching under test. Predictions
    may overlap each other: nervaluate and we must still agree on such cases.
    """
    pairs = [
        (g, p)
        for g, a in enumerate(gold)
        for p, b in enumerate(pred)
        if max(a[0], b[0]) < min(a[1], b[1])
    ]
    return len({g for g, _ in pairs}) == len(pairs) == len({p for _, p in pairs})


def _ours(docs: list[tuple[list, list]]) -> dict:
    gold = Gold(
        {
            f"d{i}": Document(
                f"d{i}",
                "x" * 200,
                "2021-12-30",
                "r",
                entities=tuple(Entity(s, e, None, lab) for s, e, lab in g),
            )
            for i, (g, _) in enumerate(docs)
        },
        (),
    )
    preds = [
        Prediction(f"d{i}", entities=tuple(Entity(s, e, label=lab) for s, e, lab in p))
        for i, (_, p) in enumerate(docs)
    ]
    return score(gold, preds, layers=["entities"], n_bootstrap=0).to_json()["entities"]


def _nervaluate(docs: list[tuple[list, list]]) -> dict:
    true = [[{"label": lab, "start": s, "end": e - 1} for s, e, lab in g] for g, _ in docs]
    pred = [[{"label": lab, "start": s, "end": e - 1} for s, e, lab in p] for _, p in docs]
    return Evaluator(true, pred, tags=list(LABELS), loader="dict").evaluate()


def _check_equal(ours: dict, nv_result: object, where: str) -> None:
    for mode, nv_mode in NV_MODES.items():
        theirs = nv_result[nv_mode]  # type: ignore[index]
        for k in COUNTS:
            assert ours[mode][k] == getattr(theirs, k), (where, mode, k)
        for k in ("precision", "recall", "f1"):
            mine = ours[mode][k]
            expected = round(getattr(theirs, k), 6)
            assert (mine if mine is not None else 0.0) == pytest.approx(expected, abs=1e-6), (
                where,
                mode,
                k,
            )


def test_entities_equal_nervaluate_on_random_cases() -> None:
    """1000+ random unambiguous cases of 1–3 documents: every count and figure, overall and per label."""
    rng = random.Random(20211230)
    compared = with_overlapping_preds = with_partial = 0
    while compared < 1000:
        docs = [_random_doc(rng) for _ in range(rng.randint(1, 3))]
        if not all(_unambiguous(g, p) for g, p in docs) or not any(g or p for g, p in docs):
            continue
        if not any(g for g, _ in docs) and not any(p for _, p in docs):
            continue
        ours = _ours(docs)
        nv = _nervaluate(docs)
        _check_equal(ours, nv["overall"], "overall")
        for lab in LABELS:
            if lab in nv["entities"]:
                _check_equal(ours["per_label"][lab], nv["entities"][lab], lab)
            else:
                assert ours["per_label"][lab]["gold"] == ours["per_label"][lab]["predicted"] == 0
        compared += 1
        with_overlapping_preds += any(
            a[0] < b[1] and b[0] < a[1]
            for _, p in docs
            for i, a in enumerate(p)
            for b in p[i + 1 :]
        )
        with_partial += ours["partial"]["partial"] > 0
    assert compared >= 1000
    # the cases are not all easy: predictions overlapping each other, boundary errors
    assert with_overlapping_preds >= 50 and with_partial >= 300, (
        with_overlapping_preds,
        with_partial,
    )


def test_nervaluate_is_order_dependent_where_we_are_not() -> None:
    """An ambiguous case: nervaluate's result changes with prediction order, ours does not."""
    g = [(0, 5, "PER"), (5, 10, "PER")]
    p1 = [(3, 8, "PER"), (0, 5, "PER")]
    p2 = list(reversed(p1))
    nv1 = _nervaluate([(g, p1)])["overall"]["strict"].correct
    nv2 = _nervaluate([(g, p2)])["overall"]["strict"].correct
    assert nv1 != nv2
    assert _ours([(g, p1)])["strict"]["correct"] == _ours([(g, p2)])["strict"]["correct"] == 1


# --------------------------------------------------------------------------- seqeval


def _token_spans(
    rng: random.Random, tokens: list, labels: tuple[str, ...]
) -> list[tuple[int, int, str]]:
    spans = []
    i = 0
    while i < len(tokens):
        if rng.random() < 0.3:
            j = min(len(tokens), i + rng.randint(1, 3))
            spans.append((tokens[i].start, tokens[j - 1].end, rng.choice(labels)))
            i = j
        else:
            i += 1
    return spans


def _perturb(
    rng: random.Random, gold: list[tuple[int, int, str]], tokens: list, labels: tuple[str, ...]
) -> list:
    out = []
    starts = {t.start: k for k, t in enumerate(tokens)}
    for s, e, lab in gold:
        r = rng.random()
        if r < 0.5:
            out.append((s, e, lab))
        elif r < 0.7:
            out.append((s, e, rng.choice(labels)))
        elif r < 0.85:
            k = starts[s]
            out.append((tokens[k].start, tokens[k].end, lab))  # first token only
    return out


def _ours_tokens(text: str, gold: list, pred: list) -> dict:
    g = Gold(
        {
            "d": Document(
                "d",
                text,
                "2021-12-30",
                "r",
                entities=tuple(Entity(s, e, None, lab) for s, e, lab in gold),
            )
        },
        (),
    )
    p = [Prediction("d", entities=tuple(Entity(s, e, label=lab) for s, e, lab in pred))]
    return score(g, p, layers=["entities"], n_bootstrap=0).to_json()["entities"]


def test_token_level_figures_equal_seqeval(root: object) -> None:
    """1000 random IOB2 predictions over the corpus tokens: strict P/R/F1 (micro and per type) = seqeval."""
    gold_set = load_gold(root)  # type: ignore[arg-type]
    rng = random.Random(7)
    docs = list(gold_set.docs.values())
    tokenized = {doc.doc_id: tokenize(doc.text) for doc in docs}
    for case in range(1000):
        doc = docs[case % len(docs)]
        # a window of the real text, tokenized by the corpus tokenizer
        tokens_all = tokenized[doc.doc_id]
        lo = rng.randrange(0, max(1, len(tokens_all) - 40))
        tokens = tokens_all[lo : lo + 40]
        gold = _token_spans(rng, tokens, LABELS)
        pred = _perturb(rng, gold, tokens, LABELS) + [
            s for s in _token_spans(rng, tokens, LABELS) if rng.random() < 0.2
        ]
        # predictions must not overlap each other to be IOB2-encodable
        pred.sort()
        clean: list[tuple[int, int, str]] = []
        for s in pred:
            if not clean or s[0] >= clean[-1][1]:
                clean.append(s)
        y_true = [iob2_tags(tokens, gold)]
        y_pred = [iob2_tags(tokens, clean)]
        ours = _ours_tokens(doc.text, gold, clean)
        if gold or clean:
            mine = ours["strict"]
            assert (mine["precision"] or 0.0) == pytest.approx(
                precision_score(y_true, y_pred), abs=1e-6
            )
            assert (mine["recall"] or 0.0) == pytest.approx(recall_score(y_true, y_pred), abs=1e-6)
            assert (mine["f1"] or 0.0) == pytest.approx(f1_score(y_true, y_pred), abs=1e-6)
            report = classification_report(y_true, y_pred, output_dict=True, zero_division=0)
            for lab in LABELS:
                if lab in report:
                    lab_fig = ours["per_label"][lab]["strict"]
                    assert (lab_fig["recall"] or 0.0) == pytest.approx(
                        report[lab]["recall"], abs=1e-6
                    )
                    assert (lab_fig["precision"] or 0.0) == pytest.approx(
                        report[lab]["precision"], abs=1e-6
                    )
