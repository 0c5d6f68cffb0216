"""One ``result`` list of an annotation or prediction → regions, relations and layers, with its problems."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem, short
from ..model import DATE_MODS, DATE_TYPES, ENTITY_LABELS, QUOTE_KINDS, Date, Entity, Quote, Span
from .config import (
    ALTERNATIVES,
    CUE,
    CUE_LABEL,
    CUE_REL,
    DATE,
    DATE_MOD,
    DATE_VALUE,
    DCT,
    DCT_REASON,
    ENTITY,
    KB_ID,
    NEW_KB_ID,
    QUOTE,
    QUOTE_KIND,
    QUOTE_LABEL,
    SPEAKER_ID,
    SPEAKER_REL,
    TEXT,
)


@dataclass
class _Ctx:
    """Where problems of one result list are reported."""

    source: str
    task_id: Any
    base: str  # JSON path of the annotation/prediction in the export
    problems: list[Problem]
    index_of: dict[str, int] = field(default_factory=dict)  # region id -> result index
    doc_fields: dict[str, str] = field(default_factory=dict)  # dct, dct_reason
    by: str | None = None  # "annotator a@b.c" or "prediction 'sys'": whose result list it is
    warnings: list[Problem] = field(default_factory=list)

    def _problem(self, message: str, rid: str | None, index: int | None) -> Problem:
        if index is None and rid is not None:
            index = self.index_of.get(rid)
        path = self.base if index is None else f"{self.base}.result[{index}]"
        who = (
            f"task {self.task_id}"
            + ("" if self.by is None else f", {self.by}")
            + ("" if rid is None else f", result {rid!r}")
        )
        return Problem(self.source, None, path, f"{who}: {message}")

    def add(self, message: str, rid: str | None = None, index: int | None = None) -> None:
        self.problems.append(self._problem(message, rid, index))

    def warn(self, message: str, rid: str | None = None, index: int | None = None) -> None:
        self.warnings.append(self._problem(message, rid, index))


@dataclass
class _Region:
    rid: str
    index: int
    kind: str  # entity, date, quote, cue
    start: int
    end: int
    text: str
    label: str
    score: float | None
    fields: dict[str, list[str]] = field(default_factory=dict)  # kb_id/date_value/... -> values
    choices: dict[str, list[str]] = field(default_factory=dict)
    alternatives: tuple[Span, ...] = ()


_LABELS = {
    ENTITY: ENTITY_LABELS,
    DATE: DATE_TYPES,
    QUOTE: (QUOTE_LABEL,),
    CUE: (CUE_LABEL,),
}
#: per-region text areas → the region kinds they belong to
_FIELDS: dict[str, tuple[str, ...]] = {
    KB_ID: (ENTITY,),
    NEW_KB_ID: (ENTITY,),
    DATE_VALUE: (DATE,),
    SPEAKER_ID: (QUOTE,),
    ALTERNATIVES: (ENTITY, DATE),
}
#: fields picked from the KB list: a per-region taxonomy (a text area in projects made before)
_KB_PICKS = (KB_ID, SPEAKER_ID)
_PAIR = re.compile(r"(0|[1-9][0-9]*)-(0|[1-9][0-9]*)")
_CHOICES = {DATE_MOD: (DATE, DATE_MODS), QUOTE_KIND: (QUOTE, QUOTE_KINDS)}


def _is_int(x: Any) -> bool:
    return type(x) is int


def _is_score(x: Any) -> bool:
    return x is None or (
        isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)
    )


def _parse_results(
    results: Any, text: str, ctx: _Ctx
) -> tuple[dict[str, _Region], list[tuple[str, str, str, int]]]:
    """Regions by id and relations ``(from, to, label, index)``; problems go to ``ctx``.

    A region whose own result is wrong is reported once: its per-region fields
    and relations are not reported again.
    """
    regions: dict[str, _Region] = {}
    relations: list[tuple[str, str, str, int]] = []
    if not isinstance(results, list):
        ctx.add(f"result is {short(results)} (expected a list of result items)")
        return regions, relations
    extras: list[tuple[int, dict[str, Any]]] = []
    broken: set[str] = set()
    for i, item in enumerate(results):
        if not isinstance(item, dict):
            ctx.add(f"got {short(item)}, expected a result object", index=i)
            continue
        if item.get("type") == "relation":
            relation = _relation_item(item, i, ctx)
            if relation is not None:
                relations.append(relation)
            continue
        rid = item.get("id")
        if not isinstance(rid, str) or not rid:
            ctx.add(f"result without an id (got {short(item)})", index=i)
            continue
        if not _region_item(item, rid, i, text, ctx, regions, extras):
            broken.add(rid)
    _region_fields(regions, extras, broken, text, ctx)
    for a, b, _label, i in relations:
        for end_id in (a, b):
            if end_id not in regions and end_id not in broken:
                ctx.add(f"relation {a} -> {b} points to no region {end_id!r}", index=i)
    return regions, relations


def _relation_item(item: dict[str, Any], i: int, ctx: _Ctx) -> tuple[str, str, str, int] | None:
    a, b, labels = item.get("from_id"), item.get("to_id"), item.get("labels")
    if not isinstance(a, str) or not isinstance(b, str):
        ctx.add(f"relation without from_id/to_id (got {short(item)})", index=i)
        return None
    direction = item.get("direction", "right")
    if direction == "left":
        a, b = b, a
    elif direction != "right":
        ctx.add(
            f"relation {a} -> {b} has direction {direction!r} (expected 'right': from the quote)",
            index=i,
        )
        return None
    if labels is None or labels == []:
        return (a, b, _UNLABELED, i)  # named by what it links: see _relation_label
    if not isinstance(labels, list) or len(labels) != 1:
        ctx.add(
            f"relation {a} -> {b} has labels {short(labels)} (expected at most one of "
            f"{SPEAKER_REL!r}, {CUE_REL!r}; remove the others in the relation's label menu)",
            index=i,
        )
        return None
    return (a, b, labels[0], i)


#: the label of a relation drawn without one (the usual case: two clicks, no label menu)
_UNLABELED = ""


def _relation_label(label: str, target_kind: str) -> str:
    """A relation's label: as given, or, when none was given, named by the region it points to
    (an entity: the speaker; a cue region: the cue).

    >>> _relation_label("", "entity"), _relation_label("", "cue"), _relation_label("cue", "entity")
    ('speaker', 'cue', 'cue')
    """
    if label != _UNLABELED:
        return label
    return {ENTITY: SPEAKER_REL, CUE: CUE_REL}.get(target_kind, label)


def _region_item(
    item: dict[str, Any],
    rid: str,
    i: int,
    text: str,
    ctx: _Ctx,
    regions: dict[str, _Region],
    extras: list[tuple[int, dict[str, Any]]],
) -> bool:
    """Read a region's label result, or queue a per-region field; ``False`` when it is wrong."""
    rtype, name = item.get("type"), item.get("from_name")
    if item.get("to_name") != TEXT:
        ctx.add(f"to_name {short(item.get('to_name'))} (expected {TEXT!r})", rid, i)
        return False
    value = item.get("value")
    if not isinstance(value, dict):
        ctx.add(f"value is {short(value)} (expected an object)", rid, i)
        return False
    if name in (DCT, DCT_REASON) and rtype == "textarea":
        texts = value.get("text")
        if name in ctx.doc_fields:
            ctx.add(f"{name} given twice", rid, i)
        elif (
            not isinstance(texts, list)
            or len(texts) != 1
            or not isinstance(texts[0], str)
            or not texts[0].strip()
        ):
            ctx.add(f"{name} is {short(texts)} (expected exactly one value)", rid, i)
        else:
            ctx.doc_fields[name] = texts[0]
            ctx.index_of.setdefault(rid, i)
        return True
    start, end = value.get("start"), value.get("end")
    if not (isinstance(start, int) and isinstance(end, int)) or not (
        _is_int(start) and _is_int(end)
    ):
        ctx.add(
            f"offsets {short(start)}..{short(end)} (expected integer code-point offsets)", rid, i
        )
        return False
    n = len(text)
    if not 0 <= start < end <= n:
        ctx.add(
            f"offsets [{start}:{end}] outside the text of length {n} "
            "(expected 0 <= start < end <= len(text))",
            rid,
            i,
        )
        return False
    if not _is_score(item.get("score")):
        ctx.add(f"score {short(item.get('score'))} (expected a finite number)", rid, i)
        return False
    if (
        (rtype == "textarea" and name in _FIELDS)
        or (rtype == "taxonomy" and name in _KB_PICKS)
        or (rtype == "choices" and name in _CHOICES)
    ):
        extras.append((i, item))
        return True
    if rtype != "labels" or name not in _LABELS:
        ctx.add(
            f"unknown result type {short(rtype)} from {short(name)} (expected the controls of "
            "newsgold's labeling config: `newsgold ls config`)",
            rid,
            i,
        )
        return False
    labels = value.get("labels")
    if rid in regions:
        ctx.add(f"two label results share the id (the other is {regions[rid].kind})", rid, i)
        return False
    if not isinstance(labels, list) or len(labels) != 1:
        ctx.add(f"labels {short(labels)} (expected exactly one label per region)", rid, i)
        return False
    if labels[0] not in _LABELS[name]:
        ctx.add(
            f"unknown {name} label {short(labels[0])} (expected one of {', '.join(_LABELS[name])})",
            rid,
            i,
        )
        return False
    surface = value.get("text")
    if surface is not None and surface != text[start:end]:
        ctx.add(
            f"text {short(surface)} is not the text at [{start}:{end}] = {short(text[start:end])}",
            rid,
            i,
        )
        return False
    score = item.get("score")
    regions[rid] = _Region(
        rid,
        i,
        name,
        start,
        end,
        text[start:end],
        labels[0],
        None if score is None else float(score),
    )
    ctx.index_of.setdefault(rid, i)
    return True


def _region_fields(
    regions: dict[str, _Region],
    extras: list[tuple[int, dict[str, Any]]],
    broken: set[str],
    text: str,
    ctx: _Ctx,
) -> None:
    """Attach per-region text areas and choices to their regions."""
    for i, item in extras:
        rid, name, value = item["id"], item["from_name"], item["value"]
        region = regions.get(rid)
        if region is None:
            if rid not in broken:
                ctx.add(
                    f"{name} given for a region that has no label (expected a labeled region)",
                    rid,
                    i,
                )
            continue
        if (value["start"], value["end"]) != (region.start, region.end):
            ctx.add(
                f"{name} at [{value['start']}:{value['end']}] but its region is at "
                f"[{region.start}:{region.end}]",
                rid,
                i,
            )
            continue
        if name in _FIELDS:
            kinds = _FIELDS[name]
            texts = _field_texts(item)
            if region.kind not in kinds:
                ctx.add(
                    f"{name} on a {region.kind} region "
                    f"(expected it only on {' or '.join(kinds)} regions)",
                    rid,
                    i,
                )
            elif name in region.fields:
                ctx.add(f"{name} given twice for the region", rid, i)
            elif (
                not isinstance(texts, list)
                or len(texts) != 1
                or not isinstance(texts[0], str)
                or texts[0] != texts[0].strip()
                or not texts[0]
            ):
                ctx.add(
                    f"{name} is {short(texts)} (expected exactly one "
                    + (
                        "entry picked from the list)"
                        if item["type"] == "taxonomy"
                        else "value without surrounding white space; delete the extra "
                        "entries in the region's text box)"
                    ),
                    rid,
                    i,
                )
            elif name == ALTERNATIVES:
                region.fields[name] = texts
                region.alternatives = _alternatives(texts[0], region, text, ctx, i)
            else:
                region.fields[name] = texts
        else:
            want, allowed = _CHOICES[name]
            choices = value.get("choices")
            if region.kind != want:
                ctx.add(
                    f"{name} on a {region.kind} region (expected it only on {want} regions)", rid, i
                )
            elif name in region.choices:
                ctx.add(f"{name} given twice for the region", rid, i)
            elif not isinstance(choices, list) or len(choices) != 1 or choices[0] not in allowed:
                ctx.add(
                    f"{name} is {short(choices)} (expected exactly one of {', '.join(allowed)})",
                    rid,
                    i,
                )
            else:
                region.choices[name] = choices


def _field_texts(item: dict[str, Any]) -> Any:
    """The values of a per-region field: a text area's ``text``, or the picks of a KB list.

    A pick from the KB list (a taxonomy) is a path of one item, ``[["vladimir-putin"]]``;
    anything else is returned as it is, for the caller to report.

    >>> _field_texts({"type": "taxonomy", "value": {"taxonomy": [["moscow"]]}})
    ['moscow']
    >>> _field_texts({"type": "textarea", "value": {"text": ["moscow"]}})
    ['moscow']
    """
    value = item["value"]
    if item["type"] != "taxonomy":
        return value.get("text")
    picks = value.get("taxonomy")
    if isinstance(picks, list) and all(isinstance(p, list) and len(p) == 1 for p in picks):
        return [p[0] for p in picks]
    return picks


def _alternatives(
    value: str, region: _Region, text: str, ctx: _Ctx, index: int
) -> tuple[Span, ...]:
    """The extents of an ``alternatives`` text area (``start-end`` pairs separated by spaces).

    Each must lie inside the text, differ from the region's extent, contain it
    or lie inside it, and be listed once; every one that does not is reported
    (one line each, naming the value) and left out. Texts come from the document.
    """
    out: list[Span] = []
    n = len(text)
    own = f"{region.start}-{region.end} {short(region.text)}"
    for pair in value.split():
        where = f"alternatives {value!r}: {pair}"
        m = _PAIR.fullmatch(pair)
        if m is None:
            ctx.add(
                f"{where} is not a start-end pair (expected code-point offsets such as "
                "118-133, pairs separated by spaces)",
                region.rid,
                index,
            )
            continue
        s, e = int(m[1]), int(m[2])
        if not 0 <= s < e <= n:
            ctx.add(
                f"{where} is outside the text of length {n} "
                "(expected 0 <= start < end <= len(text))",
                region.rid,
                index,
            )
        elif (s, e) == (region.start, region.end):
            ctx.add(
                f"{where} is the region's own extent (expected a different extent)",
                region.rid,
                index,
            )
        elif not (s <= region.start and region.end <= e) and not (
            region.start <= s and e <= region.end
        ):
            ctx.add(
                f"{where} {short(text[s:e])} neither contains nor lies inside the region "
                f"{own} (expected one of the two to contain the other)",
                region.rid,
                index,
            )
        elif any((a.start, a.end) == (s, e) for a in out):
            ctx.add(f"{where} is listed twice (expected each extent once)", region.rid, index)
        else:
            out.append(Span(s, e, text[s:e]))
    return tuple(out)


def _layers(
    regions: Mapping[str, _Region],
    relations: Sequence[tuple[str, str, str, int]],
    ctx: _Ctx,
    *,
    sort: bool,
) -> tuple[list[tuple[str, Entity]], list[tuple[str, Date]], list[tuple[str, Quote, str | None]]]:
    speakers: dict[str, str] = {}
    cues: dict[str, str] = {}
    linked_cues: set[str] = set()
    for a, b, label, i in relations:
        if a not in regions or b not in regions:
            continue
        src, dst = regions[a], regions[b]
        label = _relation_label(label, dst.kind)
        if label == _UNLABELED:
            ctx.add(
                f"relation {a} -> {b} without a label links a {src.kind} to a {dst.kind} region "
                "(expected from a quote to an entity, the speaker, or to a cue region, the cue)",
                index=i,
            )
            continue
        if label not in (SPEAKER_REL, CUE_REL):
            ctx.add(
                f"relation {a} -> {b} labeled {label!r} (expected {SPEAKER_REL!r} or {CUE_REL!r})",
                index=i,
            )
            continue
        want = ENTITY if label == SPEAKER_REL else CUE
        if src.kind != QUOTE or dst.kind != want:
            ctx.add(
                f"{label} relation from a {src.kind} to a {dst.kind} region "
                f"(expected from a quote to {'an entity' if want == ENTITY else 'a cue'})",
                index=i,
            )
            continue
        target = speakers if label == SPEAKER_REL else cues
        if a in target:
            ctx.add(f"quote has two {label} relations ({target[a]} and {b}; expected one)", a)
            continue
        target[a] = b
        if label == CUE_REL:
            linked_cues.add(b)

    order = (
        sorted(regions.values(), key=lambda r: (r.start, r.end, r.rid))
        if sort
        else sorted(regions.values(), key=lambda r: r.index)
    )
    entities: list[tuple[str, Entity]] = []
    dates: list[tuple[str, Date]] = []
    quotes: list[tuple[str, Quote, str | None]] = []
    for r in order:
        if r.kind == ENTITY:
            kb = _entity_kb_id(r, ctx)
            entities.append(
                (
                    r.rid,
                    Entity(
                        r.start,
                        r.end,
                        r.text,
                        r.label,
                        kb,
                        r.score,
                        r.alternatives,
                    ),
                )
            )
        elif r.kind == DATE:
            value = r.fields.get(DATE_VALUE)
            mod = r.choices.get(DATE_MOD)
            dates.append(
                (
                    r.rid,
                    Date(
                        r.start,
                        r.end,
                        r.text,
                        r.label,
                        value[0] if value else None,
                        mod[0] if mod else None,
                        r.score,
                        r.alternatives,
                    ),
                )
            )
        elif r.kind == QUOTE:
            speaker = None
            if r.rid in speakers:
                linked = regions[speakers[r.rid]]
                linked_kb = _entity_kb_id(linked, None)
                if linked_kb is None:
                    ctx.add(
                        f"speaker relation to {linked.rid}, an entity without a kb_id "
                        "(expected the entity's kb_id filled in)",
                        r.rid,
                    )
                else:
                    speaker = linked_kb
            typed = r.fields.get(SPEAKER_ID)
            if typed:
                if r.rid in speakers and speaker is not None and typed[0] != speaker:
                    ctx.add(
                        f"speaker_id {typed[0]!r} contradicts the speaker relation to "
                        f"{speakers[r.rid]} ({speaker!r}); keep one",
                        r.rid,
                    )
                speaker = typed[0]
            cue = None
            if r.rid in cues:
                c = regions[cues[r.rid]]
                cue = Span(c.start, c.end, c.text)
                if speaker is None and r.rid not in speakers:
                    ctx.warn(
                        f"quote [{r.start}:{r.end}] {short(r.text)} has a cue "
                        f"{short(c.text)} and no speaker link (expected a speaker relation to "
                        "the entity who speaks, or speaker_id; kept with speaker null)",
                        r.rid,
                    )
            kind = r.choices.get(QUOTE_KIND)
            quotes.append(
                (
                    r.rid,
                    Quote(r.start, r.end, r.text, kind[0] if kind else None, speaker, cue, r.score),
                    cues.get(r.rid),
                )
            )
    for r in regions.values():
        if r.kind == CUE and r.rid not in linked_cues:
            ctx.add(
                "cue region linked from no quote (expected a cue relation from its quote)", r.rid
            )
    return entities, dates, quotes


def _entity_kb_id(region: _Region, ctx: _Ctx | None) -> str | None:
    """An entity's kb_id: the one picked from the KB list, or else the proposed ``new_kb_id``.

    A proposed id not yet in ``kb.json`` is then refused by the KB check
    (unknown kb_id: add the entity there), so pull stops until the lead has
    added it to the KB; picking one and proposing another is reported (``ctx``).
    """
    picked, proposed = region.fields.get(KB_ID), region.fields.get(NEW_KB_ID)
    if picked and proposed and picked[0] != proposed[0] and ctx is not None:
        ctx.add(
            f"kb_id {picked[0]!r} picked from the list and new kb_id {proposed[0]!r} proposed "
            "(expected one of the two; clear the other)",
            region.rid,
        )
    chosen = picked or proposed
    return chosen[0] if chosen else None
