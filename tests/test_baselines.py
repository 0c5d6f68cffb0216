"""The leaderboard's baselines: rules on tiny texts, and every committed submission regenerable."""

from __future__ import annotations

import datetime as dt
import json
import socket
from importlib import metadata
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgold.baselines import BASELINES, get_baseline, provenance, submission_json
from newsgold.baselines.dateparser_baseline import timex_value
from newsgold.baselines.rules import find_dates, find_entities, find_quotes, predict
from newsgold.baselines.spacy_sm import quote_kind
from newsgold.baselines.timex import iso_week, midnight, nearest_year, strip_span, weekday_date
from newsgold.cli import BASELINE_NAMES, main
from newsgold.errors import NewsgoldError
from newsgold.schema import schema_problems
from newsgold.validate import load_gold, validate_predictions

THU = dt.date(2021, 12, 30)  # a Thursday, the creation date of document 000


def test_cli_names_match_registry() -> None:
    """The CLI's choice list is the registry's keys (they would drift apart otherwise)."""
    assert tuple(sorted(BASELINES)) == BASELINE_NAMES


def test_weekday_resolves_within_the_document_week() -> None:
    """Weekdays before and after the creation date stay in its ISO week (Mon 27 Dec .. Sun 2 Jan)."""
    assert weekday_date(0, THU) == dt.date(2021, 12, 27)
    assert weekday_date(3, THU) == THU
    assert weekday_date(6, THU) == dt.date(2022, 1, 2)


def test_month_without_year_takes_nearest_year() -> None:
    """January named in late December is next January; November is this one."""
    assert nearest_year(1, THU) == 2022
    assert nearest_year(11, THU) == 2021
    assert nearest_year(12, dt.date(2022, 1, 3)) == 2021


def test_iso_week_crosses_the_year() -> None:
    """Next week from 30 Dec 2021 is ISO week 1 of 2022; last week is W51."""
    assert iso_week(THU, 1) == "2022-W01"
    assert iso_week(THU, -1) == "2021-W51"


def test_strip_span_drops_prepositions_and_punctuation_only() -> None:
    """'on Thursday,' loses 'on' and ','; 'a few hours' keeps its determiner 'a'."""
    text = "on Thursday, and a few hours"
    assert text[slice(*strip_span(text, 0, 12))] == "Thursday"
    assert text[slice(*strip_span(text, 17, len(text)))] == "a few hours"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on Wednesday", [("Wednesday", "DATE", "2021-12-29", None)]),
        ("the 1990s", [("1990s", "DATE", "199", None)]),
        ("next week", [("next week", "DATE", "2022-W01", None)]),
        ("January 10", [("January 10", "DATE", "2022-01-10", None)]),
        ("10 December 2020", [("10 December 2020", "DATE", "2020-12-10", None)]),
        ("around 20:30 GMT", [("around 20:30 GMT", "TIME", "2021-12-30T20:30", "APPROX")]),
        ("less than a month", [("less than a month", "DURATION", "P1M", "LESS_THAN")]),
        ("yesterday evening", [("yesterday evening", "TIME", "2021-12-29TEV", None)]),
        ("in 1991", [("1991", "DATE", "1991", None)]),
        ("you may go", []),
    ],
)
def test_rules_dates(text: str, expected: list[tuple[str, str, str, str | None]]) -> None:
    """Each date pattern, normalized against Thursday 30 December 2021 ('may' the verb is no month)."""
    got = [(d.text, d.type, d.value, d.mod) for d in find_dates(text, THU)]
    assert got == expected


def test_rules_entities_titles_and_organisations() -> None:
    """Titles separate names, an organisation word ends an ORG, a possessive is not in the name."""
    text = "Yesterday Russia’s Foreign Ministry spokeswoman Maria Zakharova met US President Joe Biden."
    got = [(e.text, e.label) for e in find_entities(text)]
    assert got == [
        ("Russia", "GPE"),
        ("Foreign Ministry", "ORG"),
        ("Maria Zakharova", "PER"),
        ("US", "GPE"),
        ("Joe Biden", "PER"),
    ]


def test_rules_entities_surname_after_full_name_is_person() -> None:
    """A lone surname is PER once the full name was seen; an unknown lone word defaults to GPE."""
    got = [
        (e.text, e.label) for e in find_entities("Joe Biden spoke. Later Biden left for Geneva.")
    ]
    assert got == [("Joe Biden", "PER"), ("Biden", "PER"), ("Geneva", "GPE")]


def test_rules_quotes_mismatched_marks_and_pronoun_speaker() -> None:
    """A quote opened and closed by “ (as the seeds have), and 'he said' resolved to the last person."""
    text = "Dmitry Peskov spoke. “We are not worried at all. “ he said."
    ents = find_entities(text)
    quotes = find_quotes(text, ents)
    assert [(q.text, q.kind, q.speaker) for q in quotes] == [
        ("We are not worried at all.", "direct", "Dmitry Peskov")
    ]
    assert quotes[0].cue is not None and text[quotes[0].cue.start : quotes[0].cue.end] == "said"


def test_rules_quote_according_to_takes_the_name_after() -> None:
    """'according to X' attributes to the name after the cue, not before."""
    text = "Biden wants a “diplomatic way”, according to the White House."
    quotes = find_quotes(text, find_entities(text))
    assert [(q.text, q.kind, q.speaker) for q in quotes] == [
        ("diplomatic way", "partial", "White House")
    ]


def test_rules_predicts_no_entity_over_a_date() -> None:
    """Month names are dates, never also entities."""
    p = predict("d", "Talks open in Geneva in January.", THU)
    assert [e.text for e in p.entities or ()] == ["Geneva"]
    assert [d.text for d in p.dates or ()] == ["January"]


def test_dateparser_timex_granularity() -> None:
    """The value's granularity follows the string: clock time, day, month, year, duration."""
    base = midnight(dt.date(2021, 12, 23)).replace(hour=14, minute=5)
    assert timex_value("14:05", base, THU) == ("TIME", "2021-12-23T14:05")
    assert timex_value("23 December", base, THU) == ("DATE", "2021-12-23")
    # a weekday is that day of the document week, whatever dateparser made of it
    assert timex_value("Thursday", base, THU) == ("DATE", THU.isoformat())
    assert timex_value("December", base, THU) == ("DATE", "2021-12")
    assert timex_value("2014", midnight(dt.date(2014, 12, 23)), THU) == ("DATE", "2014")
    assert timex_value("two weeks", base, THU) == ("DURATION", "P2W")
    assert timex_value("may", base, THU) is None


def test_quote_kind() -> None:
    """A short fragment is partial; a clause ending in punctuation, or a long one, is direct."""
    assert quote_kind("aggressive actions") == "partial"
    assert quote_kind("we will see what happens.") == "direct"
    assert quote_kind("one two three four five six seven eight") == "direct"


def test_unknown_baseline() -> None:
    """An unknown name names the known ones."""
    with pytest.raises(
        NewsgoldError,
        match=r"unknown baseline 'bert' \(expected one of dateparser, recognizers, rules, spacy-sm\)",
    ):
        get_baseline("bert")
    result = CliRunner().invoke(main, ["baseline", "bert", "--out", "x"])
    assert result.exit_code == 2
    assert "'bert' is not one of 'dateparser', 'recognizers', 'rules', 'spacy-sm'" in result.output


def test_submission_json_is_schema_valid_with_provenance() -> None:
    """Every baseline's submission.json passes the schema and records package versions and the command."""
    for name, system in BASELINES.items():
        obj = submission_json(
            system,
            f"newsgold baseline {name} --out x",
            gold_sha256="0" * 64,
            corpus_version="2.0.0",
        )
        assert schema_problems(obj, "submission", "submission.json") == []
        prov = provenance(system, "cmd")
        assert prov["command"] == "cmd"
        assert set(system.packages) <= set(prov)
        assert all(v != "not installed" for v in prov.values()), prov


@pytest.fixture(scope="module")
def gold(root: Path):  # type: ignore[no-untyped-def]
    """The validated gold, loaded once."""
    return load_gold(root)


@pytest.mark.parametrize("name", sorted(BASELINES))
def test_committed_submission_regenerates_byte_identically(
    name: str, root: Path, tmp_path: Path, gold, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`newsgold baseline NAME` reproduces eval/submissions/NAME offline (no socket opens).

    The predictions byte for byte; submission.json up to the package versions it records.
    """

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"baseline {name} tried to open a network connection: {args}")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    out = tmp_path / name
    result = CliRunner().invoke(main, ["baseline", name, "--out", str(out), "--root", str(root)])
    assert result.exit_code == 0, result.output
    committed = root / "eval" / "submissions" / name
    assert (out / "predictions.jsonl").read_bytes() == (
        committed / "predictions.jsonl"
    ).read_bytes()
    # the metadata is identical but for the package versions, which record what is installed here
    fresh, kept = (json.loads((d / "submission.json").read_text()) for d in (out, committed))
    system = get_baseline(name)
    for package in system.packages:
        assert fresh["provenance"].pop(package) == metadata.version(package)
        kept["provenance"].pop(package)
    assert fresh == kept
    assert validate_predictions(out / "predictions.jsonl", gold) == []
    lines = [json.loads(line) for line in (out / "predictions.jsonl").read_text().splitlines()]
    assert [line["doc_id"] for line in lines] == sorted(gold.docs)
    layers = set(json.loads((out / "submission.json").read_text())["layers"])
    assert all(set(line) - {"doc_id"} == layers for line in lines)


def test_baselines_never_read_the_gold_annotations(gold) -> None:  # type: ignore[no-untyped-def]
    """The rules baseline gives the same output on documents stripped of every annotation."""
    import dataclasses

    from newsgold.baselines import run_baseline

    system = get_baseline("rules")
    docs = list(gold.docs.values())
    bare = [dataclasses.replace(d, entities=(), dates=(), quotes=()) for d in docs]
    assert list(run_baseline(system, docs)) == list(run_baseline(system, bare))
