"""The audit of the gold against the bundled systems: where at least k systems contradict it the same way.

Pure: the gold and the systems' predictions in, a list of :class:`AuditItem` out
(and its renderings, and Label Studio tasks of the contested documents); the
command ``newsgold audit`` reads the submissions and writes the files.

Every system is read in newsgold's terms through its scheme's projection
(:meth:`newsgold.scoring.Scheme.project`: OntoNotes PERSON is PER, its DATE and
TIME entities are predicted dates, its numeric types are set aside), and each
layer is matched as the scorer matches it (:func:`newsgold.scoring.matching.match`).
Only the systems that predict a layer take part in it (quotes: only those that
predict quotes). An item is one of three kinds:

- ``missed`` (missed by all): a gold span that at least k systems leave
  unmatched while each of them predicts something overlapping it (they agree
  the region holds a mention, not on this span); the systems' spans are listed;
- ``absent`` (absent from the gold): a span with the same start, end and
  label (entities), type (dates) or kind (quotes) that at least k systems
  predict and that no gold span of the layer overlaps;
- ``other-reading`` (same other reading): a gold span that at least k systems
  match with the same different boundaries (``aspect="boundaries"``), the same
  different label, type or kind (``"label"``) or the same different date value
  (``"value"``; a prediction without a value has no reading of it).

Quote speakers are not compared (systems name speakers freely).

>>> from newsgold.model import Document, Entity, Gold, Prediction
>>> doc = Document("d", "the Kremlin said", "2021-12-30", "r", entities=(Entity(4, 11, "Kremlin", "ORG", "kremlin"),))
>>> systems = [System(s, "newsgold", ("entities",), {"d": Prediction("d", entities=(Entity(0, 11, label="ORG"),))})
...            for s in ("a", "b")]
>>> [(i.kind, i.aspect, i.shared, i.systems) for i in audit(Gold({"d": doc}, ()), systems, k=2)]
[('other-reading', 'boundaries', '[0:11]', ('a', 'b'))]
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import UsageError
from .model import Document, Gold, Prediction

LAYER_ORDER = ("entities", "dates", "quotes")
"""The layers an audit covers, in report order."""

KINDS = {
    "missed": "missed by all",
    "absent": "absent from the gold",
    "other-reading": "same other reading",
}
"""Item kinds and their titles, in report order."""

ASPECTS = ("boundaries", "label", "value")
"""What a ``same other reading`` item is about."""


@dataclass(frozen=True)
class System:
    """One system's predictions, as the audit reads them.

    Attributes:
        system_id: the system's id.
        scheme: the label scheme of its predictions (``newsgold``, ``ontonotes`` ...).
        layers: the layers it predicts.
        predictions: ``doc_id`` → its prediction (a missing document predicts nothing).
    """

    system_id: str
    scheme: str
    layers: tuple[str, ...]
    predictions: Mapping[str, Prediction] = field(hash=False)


@dataclass(frozen=True)
class Reading:
    """A span with its reading: label (entities), type (dates) or kind (quotes), and value (dates).

    Attributes:
        start: first code point, inclusive.
        end: exclusive end.
        text: the document's text there.
        label: the label, type or kind (``None`` when not given or not shared).
        value: a date's value (``None`` when not given or not shared).
        systems: the systems with this reading (empty for the gold's).
    """

    start: int
    end: int
    text: str
    label: str | None = None
    value: str | None = None
    systems: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuditItem:
    """A gold annotation (or a gap in the gold) that at least k systems contradict the same way.

    Attributes:
        doc_id: the document.
        layer: ``entities``, ``dates`` or ``quotes``.
        kind: ``missed``, ``absent`` or ``other-reading`` (:data:`KINDS`).
        start: the item's first code point (the gold span's; for ``absent`` the predicted span's).
        end: its exclusive end.
        text: the document's text there.
        gold: the gold reading (``None`` for ``absent``).
        readings: the contradicting systems' spans, one per distinct reading with its systems.
        systems: the contradicting systems, sorted.
        aspect: for ``other-reading``: ``boundaries``, ``label`` or ``value``.
        shared: the reading the systems share: ``[start:end]`` (boundaries), the
            label, type or kind, or the value; ``None`` for ``missed``; for
            ``absent`` the span and label.
        accepted: the systems' extent is one of the gold's accepted alternatives
            (GUIDELINES.md section 8).
    """

    doc_id: str
    layer: str
    kind: str
    start: int
    end: int
    text: str
    gold: Reading | None
    readings: tuple[Reading, ...]
    systems: tuple[str, ...]
    aspect: str | None = None
    shared: str | None = None
    accepted: bool = False

    @property
    def contradiction(self) -> str:
        """The contradicting reading in words (what the queue shows)."""
        if self.kind == "missed":
            return "; ".join(_describe(r) for r in self.readings)
        if self.kind == "absent":
            return _describe(self.readings[0])
        extent = " (an accepted alternative)" if self.accepted else ""
        return f"{self.aspect} {self.shared}{extent}"


def _describe(r: Reading) -> str:
    out = f"[{r.start}:{r.end}] “{r.text}”"
    if r.label is not None:
        out += f" {r.label}"
    if r.value is not None:
        out += f" = {r.value}"
    return out


def describe_gold(item: AuditItem) -> str:
    """The gold reading in words (``—`` for a gap in the gold)."""
    return "—" if item.gold is None else _describe(item.gold)


# --------------------------------------------------------------------------- the audit


def _gold_tuples(doc: Document, layer: str, gold_label: Any) -> list[tuple[Any, ...]]:
    if layer == "entities":
        return [(e.start, e.end, gold_label(e.label), e.kb_id) for e in doc.entities]
    if layer == "dates":
        return [(d.start, d.end, d.type, d.value, d.mod) for d in doc.dates]
    return [(q.start, q.end, q.kind, q.speaker) for q in doc.quotes]


def _pred_tuples(pred: Prediction | None, layer: str) -> list[tuple[Any, ...]]:
    """A projected prediction's spans in the order of the gold's tuples (the scorer's fields)."""
    if pred is None:
        return []
    if layer == "entities":
        return [(e.start, e.end, e.label, e.kb_id) for e in pred.entities or ()]
    if layer == "dates":
        return [(d.start, d.end, d.type, d.value, d.mod) for d in pred.dates or ()]
    return [(q.start, q.end, q.kind, q.speaker) for q in pred.quotes or ()]


def _overlaps(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    """Half-open spans sharing a code point (the matching's notion of overlap)."""
    return bool(max(a[0], b[0]) < min(a[1], b[1]))


def _value(layer: str, t: tuple[Any, ...]) -> str | None:
    return t[3] if layer == "dates" else None


def _common(values: Iterable[Any]) -> Any:
    found = set(values)
    return found.pop() if len(found) == 1 else None


def _readings(
    text: str, layer: str, by_system: Mapping[str, Sequence[tuple[Any, ...]]]
) -> tuple[Reading, ...]:
    """Distinct predicted spans with the systems predicting each."""
    who: dict[tuple[Any, ...], set[str]] = defaultdict(set)
    for system, spans in by_system.items():
        for t in spans:
            who[(t[0], t[1], t[2], _value(layer, t))].add(system)
    return tuple(
        Reading(s, e, text[s:e], lab, val, tuple(sorted(who[(s, e, lab, val)])))
        for (s, e, lab, val) in sorted(who, key=lambda key: (key[0], key[1], repr(key[2:])))
    )


def check_k(k: int, n_systems: int) -> None:
    """Refuse a k outside 1 … the number of systems, in one line.

    >>> check_k(5, 4)
    Traceback (most recent call last):
    ...
    newsgold.errors.UsageError: -k must be between 1 and 4, the number of systems (got 5)
    """
    if not 1 <= k <= n_systems:
        if n_systems == 0:
            raise UsageError("no systems to audit against (expected at least one submission)")
        raise UsageError(f"-k must be between 1 and {n_systems}, the number of systems (got {k})")


def audit(gold: Gold, systems: Sequence[System], k: int = 2) -> list[AuditItem]:
    """Every gold annotation or gap that at least ``k`` systems contradict the same way.

    Args:
        gold: the gold.
        systems: the systems (ids unique); each is read through its scheme's projection.
        k: how many systems must agree (1 … ``len(systems)``).

    Returns:
        The items, sorted by document, offsets, layer, kind.

    Raises:
        UsageError: ``k`` out of range, or an unknown scheme.
    """
    from .scoring import get_scheme

    check_k(k, len(systems))
    schemes = {s.system_id: get_scheme(s.scheme) for s in systems}
    items: list[AuditItem] = []
    for doc_id, doc in gold.docs.items():
        projected = {
            s.system_id: (
                schemes[s.system_id].project(s.predictions[doc_id]).prediction
                if doc_id in s.predictions
                else None
            )
            for s in systems
        }
        for layer in LAYER_ORDER:
            taking = [s for s in systems if layer in s.layers]
            if len(taking) < k:
                continue
            items += _audit_layer(
                doc,
                layer,
                {s.system_id: projected[s.system_id] for s in taking},
                {s.system_id: schemes[s.system_id].gold_label for s in taking},
                k,
            )
    order = {name: i for i, name in enumerate(KINDS)}
    items.sort(
        key=lambda x: (
            x.doc_id,
            x.start,
            x.end,
            LAYER_ORDER.index(x.layer),
            order[x.kind],
            ASPECTS.index(x.aspect) if x.aspect else -1,
            x.shared or "",
        )
    )
    return items


def _audit_layer(
    doc: Document,
    layer: str,
    preds: Mapping[str, Prediction | None],
    gold_labels: Mapping[str, Any],
    k: int,
) -> list[AuditItem]:
    from .scoring.matching import match

    text = doc.text
    golds = {s: _gold_tuples(doc, layer, gold_labels[s]) for s in preds}
    gold_items: Sequence[Any] = getattr(doc, layer)
    n_gold = len(gold_items)
    # per gold index: system → ("matched", pred) | ("overlapped", [preds]) | None
    matched: list[dict[str, tuple[Any, ...]]] = [{} for _ in range(n_gold)]
    overlapped: list[dict[str, list[tuple[Any, ...]]]] = [{} for _ in range(n_gold)]
    absent: dict[tuple[int, int, Any], dict[str, tuple[Any, ...]]] = defaultdict(dict)
    for system, pred in preds.items():
        gs, ps = golds[system], _pred_tuples(pred, layer)
        pairs = dict(match(gs, ps))
        for gi, g in enumerate(gs):
            if gi in pairs:
                matched[gi][system] = ps[pairs[gi]]
            else:
                near = [p for p in ps if _overlaps(g, p)]
                if near:
                    overlapped[gi][system] = near
        for p in ps:
            if not any(_overlaps(g, p) for g in gs):
                absent[(p[0], p[1], p[2])].setdefault(system, p)
    out: list[AuditItem] = []
    for gi, obj in enumerate(gold_items):
        g_label = obj.label if layer == "entities" else obj.type if layer == "dates" else obj.kind
        g_value = obj.value if layer == "dates" else None
        gold = Reading(obj.start, obj.end, text[obj.start : obj.end], g_label, g_value)
        base = {
            "doc_id": doc.doc_id,
            "layer": layer,
            "start": obj.start,
            "end": obj.end,
            "text": gold.text,
            "gold": gold,
        }
        if len(overlapped[gi]) >= k:
            out.append(
                AuditItem(
                    kind="missed",
                    readings=_readings(text, layer, overlapped[gi]),
                    systems=tuple(sorted(overlapped[gi])),
                    **base,
                )
            )
        alternatives = {(a.start, a.end) for a in getattr(obj, "alternatives", ())}
        groups: dict[tuple[str, Any], dict[str, tuple[Any, ...]]] = defaultdict(dict)
        for system, p in matched[gi].items():
            g = golds[system][gi]
            if (p[0], p[1]) != (g[0], g[1]):
                groups[("boundaries", (p[0], p[1]))][system] = p
            if p[2] is not None and p[2] != g[2]:
                groups[("label", p[2])][system] = p
            if layer == "dates" and p[3] is not None and p[3] != g[3]:
                groups[("value", p[3])][system] = p
        for (aspect, key), found in groups.items():
            if len(found) < k:
                continue
            shared = f"[{key[0]}:{key[1]}]" if aspect == "boundaries" else str(key)
            out.append(
                AuditItem(
                    kind="other-reading",
                    readings=_readings(text, layer, {s: [p] for s, p in found.items()}),
                    systems=tuple(sorted(found)),
                    aspect=aspect,
                    shared=shared,
                    accepted=aspect == "boundaries" and key in alternatives,
                    **base,
                )
            )
    for (s, e, label), found in absent.items():
        if len(found) < k:
            continue
        value = _common(_value(layer, p) for p in found.values())
        reading = Reading(s, e, text[s:e], label, value, tuple(sorted(found)))
        out.append(
            AuditItem(
                doc_id=doc.doc_id,
                layer=layer,
                kind="absent",
                start=s,
                end=e,
                text=reading.text,
                gold=None,
                readings=(reading,),
                systems=reading.systems,
                shared=_describe(reading),
            )
        )
    return out


def counts(items: Iterable[AuditItem]) -> dict[tuple[str, str], int]:
    """Items per ``(kind, layer)``.

    >>> counts([])
    {}
    """
    return dict(sorted(Counter((x.kind, x.layer) for x in items).items()))


# --------------------------------------------------------------------------- renderings


def _summary_rows(items: Sequence[AuditItem]) -> list[list[str]]:
    c = counts(items)
    rows = []
    for kind, title in KINDS.items():
        per = [c.get((kind, layer), 0) for layer in LAYER_ORDER]
        rows.append([title, *map(str, per), str(sum(per))])
    totals = [sum(c.get((kind, layer), 0) for kind in KINDS) for layer in LAYER_ORDER]
    rows.append(["all", *map(str, totals), str(sum(totals))])
    return rows


def _system_lines(systems: Sequence[System]) -> list[str]:
    return [f"{s.system_id} (scheme {s.scheme}; {', '.join(s.layers)})" for s in systems]


def _item_cells(n: int, x: AuditItem) -> list[str]:
    title = KINDS[x.kind] + (f": {x.aspect}" if x.aspect else "")
    return [
        str(n),
        x.layer,
        f"[{x.start}:{x.end}]",
        x.text,
        title,
        describe_gold(x),
        x.contradiction,
        ", ".join(x.systems),
    ]


HEAD = ["#", "layer", "offsets", "text", "kind", "gold", "systems' reading", "systems"]
"""The columns of the queue's tables."""


def to_markdown(items: Sequence[AuditItem], systems: Sequence[System], k: int) -> str:
    """The review queue as Markdown (every cell escaped), items numbered in order.

    Args:
        items: the audit's items.
        systems: the systems audited against.
        k: the agreement threshold used.

    Returns:
        Markdown text with a final newline.
    """
    from .leaderboard import md_escape

    def row(cells: Sequence[str]) -> str:
        return "| " + " | ".join(md_escape(c) for c in cells) + " |"

    lines = [
        "# Audit of the gold against the bundled systems",
        "",
        f"k = {k}: an item is a gold annotation (or a gap in the gold) that at least {k} of the "
        "systems predicting its layer contradict the same way, each system read in newsgold's "
        "terms through its scheme's projection and matched as the scorer matches. Review each "
        "against annotations/GUIDELINES.md and record the decision in annotations/REVIEW.md.",
        "",
        "Systems: " + md_escape("; ".join(_system_lines(systems))) + ".",
        "",
        row(["kind", *LAYER_ORDER, "total"]),
        "|---|---:|---:|---:|---:|",
        *(row(r) for r in _summary_rows(items)),
    ]
    by_doc: dict[str, list[tuple[int, AuditItem]]] = defaultdict(list)
    for n, x in enumerate(items, 1):
        by_doc[x.doc_id].append((n, x))
    for doc_id, numbered in by_doc.items():
        lines += ["", f"## {md_escape(doc_id)}", "", row(HEAD), "|" + "---|" * len(HEAD)]
        lines += [row(_item_cells(n, x)) for n, x in numbered]
    if not items:
        lines += ["", "No items."]
    return "\n".join(lines) + "\n"


_CSS = (
    "body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}"
    "table{border-collapse:collapse;margin:.5em 0}"
    "td,th{border:1px solid #ccc;padding:2px 8px;vertical-align:top;text-align:left}"
    "td.t{white-space:pre-wrap;background:#fff6d0}"
)


def to_html(items: Sequence[AuditItem], systems: Sequence[System], k: int) -> str:
    """The review queue as one self-contained HTML page (no script; every string escaped).

    Args:
        items: the audit's items.
        systems: the systems audited against.
        k: the agreement threshold used.

    Returns:
        The page.
    """

    def e(text: str) -> str:
        return html.escape(text, quote=True)

    def table(head: Sequence[str], rows: Iterable[Sequence[str]], text_col: int = -1) -> str:
        out = ["<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr>"]
        for r in rows:
            out.append(
                "<tr>"
                + "".join(
                    f"<td class=t>{e(c)}</td>" if i == text_col else f"<td>{e(c)}</td>"
                    for i, c in enumerate(r)
                )
                + "</tr>"
            )
        return "\n".join(out) + "</table>"

    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        "<title>newsgold audit</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Audit of the gold against the bundled systems</h1>",
        f"<p>k = {k}: gold annotations (or gaps in the gold) that at least {k} of the systems "
        "predicting the layer contradict the same way.</p>",
        "<ul>" + "".join(f"<li>{e(line)}</li>" for line in _system_lines(systems)) + "</ul>",
        table(["kind", *LAYER_ORDER, "total"], _summary_rows(items)),
    ]
    by_doc: dict[str, list[list[str]]] = defaultdict(list)
    for n, x in enumerate(items, 1):
        by_doc[x.doc_id].append(_item_cells(n, x))
    for doc_id, rows in by_doc.items():
        parts += [f"<h2>{e(doc_id)}</h2>", table(HEAD, rows, text_col=3)]
    if not items:
        parts.append("<p>No items.</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def label_studio_tasks(
    gold: Gold, systems: Sequence[System], items: Iterable[AuditItem]
) -> list[dict[str, Any]]:
    """Label Studio tasks of the contested documents: the gold as the annotation, each
    system's projected reading as a prediction (``model_version`` = its id).

    Args:
        gold: the gold.
        systems: the systems.
        items: the audit's items (their documents are the contested ones).

    Returns:
        One task per contested document (:func:`newsgold.labelstudio.to_task`), in ``doc_id`` order.
    """
    from .labelstudio import to_task
    from .scoring import get_scheme

    contested = sorted({x.doc_id for x in items})
    tasks = []
    for doc_id in contested:
        doc = gold.docs[doc_id]
        pairs = [
            (s.system_id, get_scheme(s.scheme).project(s.predictions[doc_id]).prediction)
            for s in systems
            if doc_id in s.predictions
        ]
        tasks.append(to_task(doc, gold.kb, predictions=pairs))
    return tasks
