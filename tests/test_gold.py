"""Completeness and consistency of the gold, checked from the texts themselves.

These tests read the gold files directly (not through the library's loader) so
they stay an independent check of what `newsgold validate` accepts.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC_IDS = sorted(p.stem for p in (ROOT / "seeds").glob("*.txt"))
OPENING, CLOSING = '“«"', '”»"'
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = r"January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"


def load(doc_id: str) -> tuple[str, dict]:  # type: ignore[type-arg]
    text = (ROOT / "seeds" / f"{doc_id}.txt").read_bytes().decode("utf-8")
    gold = json.loads((ROOT / "annotations" / f"{doc_id}.json").read_text(encoding="utf-8"))
    return text, gold


def skip_list() -> dict[str, str]:
    """The skip list of GUIDELINES.md: ``TOKEN: reason`` lines in the ```skip-list block."""
    guide = (ROOT / "annotations" / "GUIDELINES.md").read_text(encoding="utf-8")
    block = re.search(r"```skip-list\n(.*?)```", guide, re.S)
    assert block, "GUIDELINES.md has no ```skip-list block"
    entries = {}
    for line in block.group(1).splitlines():
        token, _, reason = line.partition(":")
        assert reason.strip(), f"skip-list entry without a reason: {line!r}"
        entries[token.strip()] = reason.strip()
    return entries


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_every_quotation_mark_pair_is_a_quote(doc_id: str) -> None:
    """Each marked quote (direct, partial) sits between two marks (white space aside), and every
    mark belongs to one of them; indirect quotes carry no marks (checked below)."""
    text, gold = load(doc_id)
    marks = [i for i, ch in enumerate(text) if ch in OPENING + CLOSING]
    used: list[int] = []
    for q in gold["quotes"]:
        if q["kind"] == "indirect":
            continue
        left = q["start"] - 1
        while text[left] == " ":
            left -= 1
        right = q["end"]
        while text[right] == " ":
            right += 1
        assert text[left] in OPENING, (q, text[left])
        assert text[right] in OPENING + CLOSING, (q, text[right])
        assert not text[q["start"]].isspace() and not text[q["end"] - 1].isspace(), q
        used += [left, right]
    assert sorted(used) == marks, "a quotation mark is in no quote, or in two"


#: The verbs of communication that introduce an indirect quote (GUIDELINES.md), in the
#: inflections these texts use; ``according to`` is the other cue.
REPORTING_VERBS = frozenset(
    "say says said saying tell tells told telling announce announces announced announcing "
    "state states stated stating add adds added adding stress stresses stressed stressing "
    "note notes noted noting report reports reported reporting write writes wrote written "
    "writing warn warns warned warning claim claims claimed claiming insist insists insisted "
    "insisting confirm confirms confirmed confirming deny denies denied denying explain "
    "explains explained explaining promise promises promised promising propose proposes "
    "proposed proposing declare declares declared declaring agree agrees agreed agreeing "
    "emphasize emphasizes emphasized emphasizing reply replies replied replying recall recalls "
    "recalled recalling comment comments commented commenting".split()
)


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_indirect_quotes_are_unmarked_reported_clauses(doc_id: str) -> None:
    """An indirect quote holds no quotation mark, starts and ends on a word (no `that`, no final
    punctuation), has a cue that is a listed verb of communication or `according to`, and
    nests only properly (inside or around other quotes, never crossing them)."""
    text, gold = load(doc_id)
    quotes = gold["quotes"]
    for q in quotes:
        if q["kind"] != "indirect":
            continue
        assert not any(ch in OPENING + CLOSING for ch in q["text"]), q
        assert re.match(r"\w", q["text"]) and re.search(r"\w$", q["text"]), q
        assert not q["text"].startswith("that "), q
        assert q["cue"] is not None, q
        cue = q["cue"]["text"]
        assert cue.lower() == "according to" or cue.lower() in REPORTING_VERBS, q
        assert q["cue"]["end"] <= q["start"] or q["cue"]["start"] >= q["end"], (
            "the cue lies outside its clause",
            q,
        )
        for other in quotes:
            crossing = (
                q["start"] < other["start"] < q["end"] < other["end"]
                or other["start"] < q["start"] < other["end"] < q["end"]
            )
            assert not crossing, (q, other)


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_every_capitalised_token_is_annotated_or_skipped(doc_id: str) -> None:
    """Capitalised tokens and acronyms lie in an entity or date, or are on the skip list."""
    text, gold = load(doc_id)
    covered = [False] * len(text)
    for span in gold["entities"] + gold["dates"]:
        covered[span["start"] : span["end"]] = [True] * (span["end"] - span["start"])
    skips = skip_list()
    missing = []
    for m in re.finditer(r"[A-Z][a-z]+|[A-Z]+(?![a-z])", text):
        inside = covered[m.start() : m.end()]
        assert all(inside) or not any(inside), (
            f"{m.group()!r} at {m.start()} is cut by a span boundary"
        )
        if not any(inside) and m.group() not in skips:
            missing.append((m.start(), m.group(), text[max(0, m.start() - 30) : m.end() + 30]))
    assert not missing, missing


def test_skip_list_has_no_stale_entries() -> None:
    """Every skip-list token still occurs unannotated somewhere: the list stays exact."""
    uncovered: set[str] = set()
    for doc_id in DOC_IDS:
        text, gold = load(doc_id)
        covered = [False] * len(text)
        for span in gold["entities"] + gold["dates"]:
            covered[span["start"] : span["end"]] = [True] * (span["end"] - span["start"])
        for m in re.finditer(r"[A-Z][a-z]+|[A-Z]+(?![a-z])", text):
            if not any(covered[m.start() : m.end()]):
                uncovered.add(m.group())
    assert set(skip_list()) - uncovered == set()


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_every_temporal_word_is_in_a_date(doc_id: str) -> None:
    """Weekdays, month names, four-digit years and clock times lie inside a date span."""
    text, gold = load(doc_id)
    pattern = re.compile(rf"\b(?:{'|'.join(WEEKDAYS)}|{MONTHS}|(?:19|20)\d\d|\d{{1,2}}:\d\d)\b")
    for m in pattern.finditer(text):
        assert any(d["start"] <= m.start() and m.end() <= d["end"] for d in gold["dates"]), (
            m.group(),
            text[max(0, m.start() - 30) : m.end() + 30],
        )


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_weekday_names_agree_with_values(doc_id: str) -> None:
    """A date whose text names a weekday has a value on that weekday (real 2021-2022 calendar)."""
    _, gold = load(doc_id)
    for d in gold["dates"]:
        named = [w for w in WEEKDAYS if w in d["text"]]
        if named:
            day = dt.date.fromisoformat(d["value"][:10])
            assert WEEKDAYS[day.weekday()] == named[0], d
            dct = dt.date.fromisoformat(gold["dct"])
            assert abs((day - dct).days) <= 6, (d, "a bare weekday is within a week of the dct")


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_month_day_values_match_text(doc_id: str) -> None:
    """`January 10`, `Dec 31`: the value's month and day are the ones written, in the year after/of the dct."""
    _, gold = load(doc_id)
    months = {m: i + 1 for i, m in enumerate(MONTHS.split("|")[:12])}
    months.update({m[:3]: i for m, i in list(months.items())})
    dct = dt.date.fromisoformat(gold["dct"])
    for d in gold["dates"]:
        m = re.fullmatch(rf"({MONTHS}) (\d{{1,2}})", d["text"])
        if m:
            value = dt.date.fromisoformat(d["value"])
            assert (value.month, value.day) == (months[m.group(1)], int(m.group(2))), d
            assert 0 <= (value - dct).days < 60 or value == dct, (
                d,
                "written dates here are at or after the dct",
            )


def test_kb_aliases_all_occur_and_every_occurrence_is_linked() -> None:
    """Every alias occurs as a mention, and every word-bounded occurrence of a
    multi-letter alias in any text lies in an entity of that kb_id (or a longer entity)."""
    kb = json.loads((ROOT / "annotations" / "kb.json").read_text(encoding="utf-8"))
    mentions: set[tuple[str, str]] = set()
    for doc_id in DOC_IDS:
        text, gold = load(doc_id)
        for e in gold["entities"]:
            mentions.add((e["kb_id"], e["text"]))
        for entry in kb:
            for alias in entry["aliases"]:
                for m in re.finditer(rf"(?<![A-Za-z]){re.escape(alias)}(?![a-z])", text):
                    hit = [
                        e
                        for e in gold["entities"]
                        if e["start"] <= m.start() and m.end() <= e["end"]
                    ]
                    assert hit, (
                        doc_id,
                        alias,
                        m.start(),
                        text[max(0, m.start() - 30) : m.end() + 30],
                    )
                    if hit[0]["end"] - hit[0]["start"] == len(alias):
                        assert hit[0]["kb_id"] == entry["kb_id"], (doc_id, alias, hit[0])
    for entry in kb:
        for alias in entry["aliases"]:
            assert (entry["kb_id"], alias) in mentions, (entry["kb_id"], alias)


def test_agreement_md_is_reproduced_by_the_agreement_command(reference: ModuleType) -> None:
    """The figures in AGREEMENT.md's table equal `newsgold agree annotations annotations/second_pass`,
    and equal the reference scorer's (tests/reference_scorer.py, no code shared with the scorer)
    on the same two annotation sets: the table is current, and its numbers are right."""
    from newsgold.scoring import agree
    from newsgold.validate import load_gold

    first = load_gold(ROOT)
    second = load_gold(ROOT, ROOT / "annotations" / "second_pass")
    report = agree(first, second, n_bootstrap=0).to_json()
    independent = reference.score_records(first, reference.records_of(second))
    table = (ROOT / "annotations" / "AGREEMENT.md").read_text(encoding="utf-8")
    rows = {
        (m.group(1), m.group(2).strip()): float(m.group(3))
        for m in re.finditer(
            r"^\| (entities|dates|quotes) \| ([^|]+) \| ([01]\.\d{3})", table, re.M
        )
    }
    figures = {
        ("entities", "strict F1 (span + label)"): report["entities"]["strict"]["f1"],
        ("entities", "kb_id accuracy over strict matches"): report["entities"]["kb_id_accuracy"],
        ("dates", "strict span F1"): report["dates"]["strict"]["f1"],
        ("dates", "relaxed span F1"): report["dates"]["relaxed"]["f1"],
        ("dates", "type accuracy"): report["dates"]["type_accuracy"],
        ("dates", "value accuracy"): report["dates"]["value_accuracy"],
        ("quotes", "strict span F1"): report["quotes"]["strict"]["f1"],
        ("quotes", "kind accuracy"): report["quotes"]["kind_accuracy"],
        ("quotes", "speaker accuracy"): report["quotes"]["speaker_accuracy"],
    }
    assert set(figures) <= set(rows), sorted(set(figures) - set(rows))
    for key, value in figures.items():
        assert rows[key] == round(value, 3), (key, rows[key], value)
    paths = {
        ("entities", "strict F1 (span + label)"): "strict.f1",
        ("entities", "kb_id accuracy over strict matches"): "kb_id_accuracy",
        ("dates", "strict span F1"): "strict.f1",
        ("dates", "relaxed span F1"): "relaxed.f1",
        ("dates", "type accuracy"): "type_accuracy",
        ("dates", "value accuracy"): "value_accuracy",
        ("quotes", "strict span F1"): "strict.f1",
        ("quotes", "kind accuracy"): "kind_accuracy",
        ("quotes", "speaker accuracy"): "speaker_accuracy",
    }
    for (layer, name), path in paths.items():
        want = reference._get(independent[layer], path)
        assert want is not None and rows[(layer, name)] == pytest.approx(want, abs=0.0005 + 1e-9), (
            layer,
            name,
            rows[(layer, name)],
            want,
        )
