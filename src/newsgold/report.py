"""Rendering scores: the JSON report file, a rich table for the terminal, a self-contained HTML error report.

Everything here is a pure function of a :class:`~newsgold.scoring.Report`
(and, for HTML, the gold and the predictions) except :func:`corpus_version`,
which reads ``corpus/VERSION``. Writing files is left to the CLI
(:func:`newsgold.jsonio.atomic_write`).

>>> from newsgold.scoring import Report
>>> to_json_text(Report({"schema_version": 1, "x": 0.1234567891}))
'{\\n  "schema_version": 1,\\n  "x": 0.123457\\n}\\n'
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from rich.table import Table

from .model import Document, Gold, Prediction
from .scoring.quotes import UNRESOLVED, speaker_resolver
from .scoring.registry import LAYERS

UNRELEASED = "unreleased"


def corpus_version(root: Path) -> str:
    """The corpus version: the first line of ``corpus/VERSION``, or ``unreleased``.

    Args:
        root: the project folder.

    Returns:
        The version string.
    """
    path = root / "corpus" / "VERSION"
    if not path.is_file():
        return UNRELEASED
    text = path.read_text(encoding="utf-8").strip()
    return text.splitlines()[0].strip() if text else UNRELEASED


def to_json_text(report: Any) -> str:
    """The report (or comparison) as JSON text: keys in report order, floats to 6 decimals.

    Args:
        report: a :class:`~newsgold.scoring.Report` or :class:`~newsgold.scoring.Comparison`.

    Returns:
        Indented JSON with a final newline.
    """
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _ci(value: Any) -> str:
    return "" if not value else f"[{value[0]:.3f}, {value[1]:.3f}]"


def _at(block: Mapping[str, Any], path: str) -> Any:
    node: Any = block
    for part in path.split("."):
        node = node[part]
    return node


def to_table(report: Any, what: str = "newsgold score") -> Table:
    """A rich table of the headline figures: P, R, F1 (or an accuracy) and its 95% interval.

    Args:
        report: a :class:`~newsgold.scoring.Report`.
        what: the title's opening words (``newsgold agree`` for an agreement report).

    Returns:
        The table (print it with a rich console).
    """
    data = report.to_json()
    boot = data["bootstrap"]
    table = Table(
        title=f"{what}: {data['documents']['scored']} documents, scheme {data['scheme']['name']}, "
        f"corpus {data['corpus_version']}",
        caption=f"95% intervals: percentile bootstrap over {boot.get('units', '?')} "
        f"{boot['unit']}s ({boot['resamples']} resamples); the interval is the F1's, else the "
        "recall's or the accuracy's.",
    )
    for col in ("figure", "P", "R", "F1", "acc.", "95% CI"):
        table.add_column(col, justify="left" if col == "figure" else "right")

    for layer, spec in LAYERS.items():
        block = data.get(layer)
        if not block:
            continue
        prf, recalls, f1s, accs = [], [], [], []
        for path in spec.table_rows:
            node = _at(block, path)
            if isinstance(node, Mapping) and "f1" in node:
                prf.append(path)
            elif isinstance(node, Mapping):
                recalls.append(path)  # a slice of the gold only: recall
            elif path.rsplit(".", 1)[-1].endswith("f1"):
                f1s.append(path)
            else:
                accs.append(path)
        for path in prf:  # P/R/F1 groups first, then recalls, single F1s, accuracies
            fig = _at(block, path)
            table.add_row(
                f"{layer}.{path}",
                _fmt(fig["precision"]),
                _fmt(fig["recall"]),
                _fmt(fig["f1"]),
                "",
                _ci(fig.get("f1_ci95")),
            )
        for path in recalls:
            fig = _at(block, path)
            table.add_row(
                f"{layer}.{path}", "", _fmt(fig["recall"]), "", "", _ci(fig.get("recall_ci95"))
            )
        for path in f1s:
            head, _, leaf = path.rpartition(".")
            ci = _at(block, head).get(leaf + "_ci95") if head else block.get(leaf + "_ci95")
            table.add_row(f"{layer}.{path}", "", "", _fmt(_at(block, path)), "", _ci(ci))
        for path in accs:
            head, _, leaf = path.rpartition(".")
            ci = _at(block, head).get(leaf + "_ci95") if head else block.get(leaf + "_ci95")
            table.add_row(f"{layer}.{path}", "", "", "", _fmt(_at(block, path)), _ci(ci))
    return table


def comparison_table(comparison: Any) -> Table:
    """A rich table of a :class:`~newsgold.scoring.Comparison`: which file is A and which is B,
    then per figure A, B, A − B, its interval, p and the minimum detectable effect (MDE)."""
    data = comparison.to_json()
    test = data["test"]
    systems = data.get("systems") or {"A": "system A", "B": "system B"}
    table = Table(
        title=f"newsgold compare: A = {systems['A']}, B = {systems['B']}\n"
        f"{data['documents']} documents"
        + ("" if test["unit"] == "document" else f", {test['units']} {test['unit']}s")
        + ", "
        + (
            f"exact randomisation test over {test['unit']}s"
            if test["exact"]
            else f"approximate randomisation test over {test['unit']}s "
            f"({test['resamples']:,} random permutations)"
        ),
        caption=_comparison_caption(test),
    )
    for col in ("figure", "A", "B", "A − B", "95% CI", "p", "MDE"):
        table.add_column(col, justify="left" if col == "figure" else "right")
    for name, fig in data["figures"].items():
        table.add_row(
            name,
            _fmt(fig["a"]),
            _fmt(fig["b"]),
            _fmt(fig["difference"]),
            _ci(fig["difference_ci95"]),
            _fmt(fig["p_value"]),
            _fmt(fig.get("mde")),
        )
    return table


def _comparison_caption(test: Mapping[str, Any]) -> str:
    floor = test["smallest_p_value"]
    if floor > test["alpha"]:
        return (
            f"The smallest p-value this test can reach on {test['units']} {test['unit']}s is "
            f"{floor:.4g} > {test['alpha']}: no difference can be significant, so no MDE."
        )
    return (
        f"p: two-sided; MDE: the smallest true difference detected with 80% power at alpha "
        f"{test['alpha']} (formula on the paired bootstrap's standard error and the unit count)."
    )


# --------------------------------------------------------------------------- HTML


def _pred_values(
    pred: Prediction | None, layer: str, resolve: Callable[[str | None], str | None]
) -> list[tuple[Any, ...]]:
    """A projected prediction's spans as the scorer's tuples (``layer.fields`` order)."""
    if pred is None:
        return []
    if layer == "entities":
        return [(e.start, e.end, e.label, e.kb_id) for e in pred.entities or ()]
    if layer == "dates":
        return [(t.start, t.end, t.type, t.value, t.mod) for t in pred.dates or ()]
    return [(q.start, q.end, q.kind, resolve(q.speaker)) for q in pred.quotes or ()]


def diagnose(
    doc: Document,
    pred: Prediction | None,
    scheme: str = "newsgold",
    resolve: Callable[[str | None], str | None] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Every gold and predicted span of one document with its verdict, per layer.

    Verdicts: ``correct`` (same boundaries and label/type/kind), ``partial``
    (overlapping, other boundaries, same label), ``wrong-type`` (overlapping,
    other label), ``missed`` (gold, unmatched), ``spurious`` (predicted,
    unmatched). The matching is the scorer's (:func:`newsgold.scoring.match`).

    Args:
        doc: the gold document.
        pred: its prediction, or ``None`` (predicts nothing).
        scheme: the label scheme the scores were computed with (its
            projection, :meth:`~newsgold.scoring.Scheme.project`, is applied).
        resolve: maps a predicted speaker to a ``kb_id`` (the scorer's resolver).

    Returns:
        layer → list of ``{side, start, end, label, verdict, partner}`` items.

    >>> from newsgold.model import Entity
    >>> d = Document("d", "Putin met Biden", "2021-12-30", "r", entities=(Entity(0, 5, "Putin", "PER", "p"),))
    >>> [x["verdict"] for x in diagnose(d, Prediction("d", entities=(Entity(0, 9, label="ORG"),)))["entities"]]
    ['wrong-type', 'wrong-type']
    """
    from .scoring import LAYERS, get_scheme, match

    sch = get_scheme(scheme)
    out: dict[str, list[dict[str, Any]]] = {}
    # the scorer's own projection and span tuples, so that the matching (and its tie-breaks) is the same
    projected = sch.project(pred).prediction if pred is not None else None
    speaker = resolve or (lambda name: name)
    layers: dict[str, tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]] = {}
    for name, spec in LAYERS.items():
        gs = [tuple(v) for v in spec.gold_values(doc, sch)]
        ps = [tuple(v) for v in _pred_values(projected, name, speaker)]
        layers[name] = (gs, ps)
    for layer, (gs, ps) in layers.items():
        items: list[dict[str, Any]] = []
        chosen = dict(match(gs, ps))
        back = {p: g for g, p in chosen.items()}
        for side, spans, partner_of, others in (
            ("gold", gs, chosen, ps),
            ("pred", ps, back, gs),
        ):
            for i, (s, end, lab, *rest) in enumerate(spans):
                j = partner_of.get(i)
                if j is None:
                    verdict = "missed" if side == "gold" else "spurious"
                    partner = None
                else:
                    o = others[j]
                    partner = [o[0], o[1], o[2]]
                    predicted_label = lab if side == "pred" else o[2]
                    # a system that does not predict the field (a quote without kind) is not wrong
                    if predicted_label is not None and o[2] != lab:
                        verdict = "wrong-type"
                    elif (o[0], o[1]) != (s, end):
                        verdict = "partial"
                    else:
                        verdict = "correct"
                item = {
                    "side": side,
                    "start": s,
                    "end": end,
                    "label": lab,
                    "verdict": verdict,
                    "partner": partner,
                }
                if layer == "quotes":  # the speaker (kb_id, resolved as the scorer does)
                    item["speaker"] = rest[0]
                    item["partner_speaker"] = None if j is None else others[j][3]
                items.append(item)
        out[layer] = items
    return out


_CSS = """
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:2em}h3{font-size:1em}
table.fig{border-collapse:collapse;margin:.5em 0}table.fig td,table.fig th{border:1px solid #ccc;padding:2px 8px;text-align:right}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1em}
.text{white-space:pre-wrap;border:1px solid #ddd;padding:.6em;line-height:1.7;font-size:.92em}
mark{padding:0 1px;border-radius:2px}
.correct{background:#c8f0c8}.partial{background:#ffe8a0}.wrong-type{background:#ffc48a}
.missed{background:#f7b2b2}.spurious{background:#d7c8f7}
.legend span{margin-right:1em;padding:0 4px}
"""

#: How every HTML error report begins (the leaderboard removes only stale files that begin so).
REPORT_START = (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
    "<title>newsgold error report</title>"
)

_RANK = {"missed": 5, "spurious": 5, "wrong-type": 4, "partial": 3, "correct": 1}


def _marked_text(text: str, items: Sequence[Mapping[str, Any]]) -> str:
    """The text with every item's stretch in a <mark>; overlaps show the worst verdict, titles list all."""
    cuts = sorted({0, len(text), *(x["start"] for x in items), *(x["end"] for x in items)})
    parts = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        cover = [x for x in items if x["start"] <= a and x["end"] >= b]
        seg = html.escape(text[a:b])
        if not cover:
            parts.append(seg)
            continue
        worst = max(cover, key=lambda x: _RANK[x["verdict"]])
        title = "; ".join(
            f"[{x['start']}:{x['end']}] {_fmt(x['label'])}"
            + (f" speaker {_speaker(x['speaker'])}" if "speaker" in x else "")
            + f" {x['verdict']}"
            + (
                f" (vs [{x['partner'][0]}:{x['partner'][1]}] {_fmt(x['partner'][2])})"
                if x["partner"]
                else ""
            )
            for x in cover
        )
        parts.append(
            f'<mark class="{worst["verdict"]}" title="{html.escape(title, quote=True)}">{seg}</mark>'
        )
    return "".join(parts)


def _speaker(value: str | None) -> str:
    """A speaker as the report shows it: its ``kb_id``, a name the KB does not resolve, or —."""
    if value is None:
        return "—"
    if value.startswith(UNRESOLVED):
        return f"{value[len(UNRESOLVED) :]!r} (not one KB entity)"
    return value


def _speaker_rows(text: str, items: Sequence[Mapping[str, Any]]) -> str:
    """Each gold quote with its speaker beside the matched prediction's, then spurious ones."""
    rows = []
    for x in items:
        if x["side"] == "pred" and x["verdict"] != "spurious":
            continue
        quote = html.escape(text[x["start"] : x["end"]][:80])
        if x["side"] == "gold":
            other = "—" if x["partner"] is None else _speaker(x["partner_speaker"])
            gold_speaker = _speaker(x["speaker"])
            right = x["partner"] is not None and x["partner_speaker"] == x["speaker"]
        else:
            gold_speaker, other, right = "—", _speaker(x["speaker"]), False
        rows.append(
            f'<tr class="{x["verdict"]}"><td>[{x["start"]}:{x["end"]}]</td><td>{quote}</td>'
            f"<td>{html.escape(gold_speaker)}</td><td>{html.escape(other)}</td>"
            f"<td>{'right' if right else 'wrong' if x['partner'] else x['verdict']}</td></tr>"
        )
    if not rows:
        return ""
    return (
        '<table class="fig speakers"><tr><th>quote</th><th>text</th><th>gold speaker</th>'
        "<th>predicted speaker</th><th>speaker</th></tr>" + "".join(rows) + "</table>"
    )


def _figure_rows(data: Mapping[str, Any]) -> str:
    rows = []
    for layer, spec in LAYERS.items():
        block = data.get(layer)
        if not block:
            continue
        for mode in spec.table_rows:
            fig = _at(block, mode)
            if "." in mode or not (isinstance(fig, Mapping) and "f1" in fig):
                continue  # the page shows the top-level P/R/F1 figures
            rows.append(
                f"<tr><th>{html.escape(layer)}.{html.escape(mode)}</th><td>{_fmt(fig['precision'])}</td>"
                f"<td>{_fmt(fig['recall'])}</td><td>{_fmt(fig['f1'])}</td>"
                f"<td>{html.escape(_ci(fig.get('f1_ci95')))}</td></tr>"
            )
    return (
        '<table class="fig"><tr><th>figure</th><th>P</th><th>R</th><th>F1</th><th>F1 95% CI</th></tr>'
        + "".join(rows)
        + "</table>"
    )


def _slice_table(title: str, groups: Mapping[str, Any], keys: Sequence[str]) -> str:
    """One HIPE-style table: a row per slice, its count and each figure with its interval."""
    head = "".join(f"<th>{html.escape(k)}</th><th>95% CI</th>" for k in keys)
    rows = []
    for name, fig in groups.items():
        cells = "".join(
            f"<td>{_fmt(fig.get(k))}</td><td>{html.escape(_ci(fig.get(k + '_ci95')))}</td>"
            for k in keys
        )
        rows.append(
            f"<tr><th>{html.escape(str(name))}</th><td>{fig.get('gold', '')}</td>"
            f"<td>{fig.get('predicted', '')}</td>{cells}</tr>"
        )
    return (
        f"<h3>{html.escape(title)}</h3>"
        f'<table class="fig slice"><tr><th>slice</th><th>gold</th><th>predicted</th>{head}</tr>'
        + "".join(rows)
        + "</table>"
    )


def _slice_rows(data: Mapping[str, Any]) -> str:
    """Figures per slice (HIPE-style): entities by label, mention length and first/later mention;
    quotes by kind. Every figure with its bootstrap interval."""
    parts: list[str] = []
    ent = data.get("entities")
    if ent:
        labels = {
            lab: fig["strict"] | {"gold": fig["gold"], "predicted": fig["predicted"]}
            for lab, fig in (ent.get("per_label") or {}).items()
        }
        parts.append(
            _slice_table("entities by label (strict)", labels, ("precision", "recall", "f1"))
        )
        slices = ent.get("slices") or {}
        titles = {s.name: s.title for s in LAYERS["entities"].slices}
        for name, groups in slices.items():
            keys = (
                ("precision", "recall", "f1")
                if any("f1" in g for g in groups.values())
                else ("recall",)
            )
            parts.append(
                _slice_table(f"entities by {titles.get(name, name)} (strict)", groups, keys)
            )
    quotes = data.get("quotes")
    if quotes and quotes.get("per_kind"):
        parts.append(
            _slice_table(
                "quotes by kind", quotes["per_kind"], ("precision", "recall", "end_to_end_recall")
            )
        )
    if not parts:
        return ""
    unit = data.get("bootstrap", {}).get("unit", "document")
    return (
        f"<h2>figures per slice</h2><p>95% intervals: bootstrap over {html.escape(unit)}s.</p>"
        + "".join(parts)
    )


def _alignment_rows(data: Mapping[str, Any]) -> str:
    """The alignment of strings to the text (``alignment`` section), with the unaligned strings."""
    section = data.get("alignment")
    if not section:
        return ""
    rows = []
    for layer, stats in section["layers"].items():
        counts = ", ".join(f"{k} {v}" for k, v in stats["counts"].items())
        unaligned = "".join(
            f"<li>{html.escape(u['doc_id'])}: <code>{html.escape(u['text'])}</code></li>"
            for u in stats["unaligned"]
        )
        rows.append(
            f"<h3>{html.escape(layer)}: {stats['mentions']} strings ({html.escape(counts)})</h3>"
            + (
                "<p>unaligned (not in the text; each counted as one spurious prediction, a "
                "one-character placeholder outside every gold span):</p>"
                f"<ul>{unaligned}</ul>"
                if unaligned
                else ""
            )
        )
    return (
        f"<h2>alignment ({html.escape(section['version'])}, {html.escape(section['mode'])})</h2>"
        + "".join(rows)
    )


def to_html(report: Any, gold: Gold, predictions: Iterable[Prediction]) -> str:
    """A self-contained HTML error report (no scripts, no external files, everything escaped).

    For every document and scored layer it shows the text twice, side by side:
    gold spans on the left, predicted ones on the right, coloured by verdict
    (see :func:`diagnose`); hovering a span shows its offsets, label and partner.

    Args:
        report: the :class:`~newsgold.scoring.Report` of these predictions.
        gold: the gold.
        predictions: the same predictions that were scored.

    Returns:
        The HTML document.
    """
    data = report.to_json()
    scheme = data["scheme"]["name"]
    by_id = {p.doc_id: p for p in predictions}
    resolve = speaker_resolver(gold.kb)
    legend = "".join(
        f'<span class="{v}">{v}</span>'
        for v in ("correct", "partial", "wrong-type", "missed", "spurious")
    )
    body = [
        "<h1>newsgold error report</h1>",
        f"<p>scheme {html.escape(scheme)} · corpus {html.escape(str(data['corpus_version']))} · "
        f"gold sha256 <code>{html.escape(data['gold_sha256'][:16])}…</code> · scorer "
        f"{html.escape(data['scorer_version'])}</p>",
        _figure_rows(data),
        _slice_rows(data),
        _alignment_rows(data),
        "".join(f"<p>warning: {html.escape(w)}</p>" for w in data.get("warnings", [])),
        f'<p class="legend">{legend}</p>',
    ]
    for doc_id, doc in gold.docs.items():
        found = diagnose(doc, by_id.get(doc_id), scheme, resolve)
        body.append(f'<h2 id="{html.escape(doc_id, quote=True)}">{html.escape(doc_id)}</h2>')
        if doc_id not in by_id:
            body.append("<p>no prediction for this document: everything is missed</p>")
        for layer in data["layers"]:
            items = found[layer]
            # one count per gold span (its pair's verdict, or missed) plus the spurious predictions
            counts: dict[str, int] = {}
            for x in items:
                if x["side"] == "gold" or x["verdict"] == "spurious":
                    counts[x["verdict"]] = counts.get(x["verdict"], 0) + 1
            summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
            gold_items = [x for x in items if x["side"] == "gold"]
            pred_items = [x for x in items if x["side"] == "pred"]
            body.append(
                f"<h3>{html.escape(layer)} ({html.escape(summary or 'nothing')})</h3>"
                '<div class="pair">'
                f'<div><b>gold</b><div class="text">{_marked_text(doc.text, gold_items)}</div></div>'
                f'<div><b>predicted</b><div class="text">{_marked_text(doc.text, pred_items)}</div></div>'
                "</div>"
            )
            if layer == "quotes":
                body.append(_speaker_rows(doc.text, items))
    return (
        REPORT_START + f"<style>{_CSS}</style></head><body>" + "\n".join(body) + "</body></html>\n"
    )
