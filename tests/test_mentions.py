"""The mentions format and its alignment (``alignment.v1``): strings without offsets scored
through the one check and the one engine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsgold.cli import main
from newsgold.errors import ValidationError
from newsgold.evaluate import evaluate
from newsgold.jsonio import prediction_to_json
from newsgold.mentions import Aligner, as_mentions, score_mentions_file
from newsgold.model import Document, Entity, Quote
from newsgold.scoring import gold_as_predictions, score_file
from newsgold.validate import load_gold

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("entities", "dates", "quotes")


@pytest.fixture(scope="module")
def gold() -> Any:
    return load_gold(ROOT)


def _f1s(report: dict[str, Any]) -> dict[str, float]:
    out = {}
    for layer in LAYERS:
        block = report.get(layer)
        if not block:
            continue
        for name, fig in block.items():
            if isinstance(fig, dict) and fig.get("f1") is not None:
                out[f"{layer}.{name}.f1"] = fig["f1"]
    return out


def _write(path: Path, objs: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs), "utf-8")
    return path


def test_gold_as_ordered_strings_scores_one_everywhere(gold: Any, tmp_path: Path) -> None:
    """The gold turned into ordered string mentions scores 1.000 on every layer, all exact."""
    objs = [
        as_mentions(prediction_to_json(p), gold.docs[p.doc_id].text)
        for p in gold_as_predictions(gold)
    ]
    report = score_mentions_file(gold, _write(tmp_path / "m.jsonl", objs), n_bootstrap=0)
    data = report.to_json()
    f1s = _f1s(data)
    assert len(f1s) >= 9 and set(f1s.values()) == {1.0}, f1s
    for layer in LAYERS:
        stats = data["alignment"]["layers"][layer]
        assert stats["counts"]["exact"] == stats["mentions"] > 0
        assert stats["rates"]["exact"] == 1.0 and stats["unaligned"] == []
    assert data["alignment"]["version"] == "alignment.v1"


@pytest.mark.parametrize(("system", "scheme"), [("spacy-sm", "ontonotes"), ("rules", "newsgold")])
def test_real_system_as_strings_scores_as_with_offsets(
    gold: Any, tmp_path: Path, system: str, scheme: str
) -> None:
    """A real system's offset predictions turned into strings score within 0.02 of the offsets."""
    path = ROOT / "eval" / "submissions" / system / "predictions.jsonl"
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    objs = [as_mentions(r, gold.docs[r["doc_id"]].text) for r in records]
    by_offsets = _f1s(score_file(gold, path, scheme=scheme, n_bootstrap=0).to_json())
    by_strings = _f1s(
        score_mentions_file(
            gold, _write(tmp_path / "m.jsonl", objs), scheme=scheme, n_bootstrap=0
        ).to_json()
    )
    assert by_offsets.keys() == by_strings.keys() and len(by_offsets) >= 9
    for key, value in by_offsets.items():
        assert abs(value - by_strings[key]) <= 0.02, (key, value, by_strings[key])


def test_strings_not_in_the_text_are_unaligned_and_spurious(gold: Any, tmp_path: Path) -> None:
    """A hallucinated string is listed as unaligned and counted as a spurious prediction."""
    doc_id = sorted(gold.docs)[0]
    doc = gold.docs[doc_id]
    first = doc.entities[0]
    truth = {"doc_id": doc_id, "entities": [{"text": first.text, "label": first.label}]}
    fake = {"text": "Zorblax Quendi", "label": "PER"}
    base = score_mentions_file(gold, _write(tmp_path / "a.jsonl", [truth]), n_bootstrap=0)
    more = score_mentions_file(
        gold,
        _write(tmp_path / "b.jsonl", [{**truth, "entities": [*truth["entities"], fake]}]),
        n_bootstrap=0,
    ).to_json()
    assert base.figure("entities.strict.precision") == 1.0
    assert more["entities"]["strict"]["precision"] == 0.5
    assert more["entities"]["partial"]["precision"] == 0.5  # overlaps no gold span either
    assert more["entities"]["strict"]["recall"] == base.figure("entities.strict.recall")
    stats = more["alignment"]["layers"]["entities"]
    assert stats["counts"]["unaligned"] == 1 and stats["rates"]["unaligned"] == 0.5
    assert stats["unaligned"] == [{"doc_id": doc_id, "text": "Zorblax Quendi"}]


DOC = Document(
    "d",
    "Putin met Biden in Moscow.\n\u201cWe will  respond\u2014firmly and without delay to any threat,\u201d "
    "Putin said.\nRussian officials and RUSSIAN media agreed.",
    "2021-12-30",
    "r",
    entities=(Entity(0, 5, "Putin", "PER"),),
)


def _align(layer: str, items: list[dict[str, Any]], each: bool = False) -> tuple[Any, Any]:
    aligner = Aligner(each)
    record = aligner.align(DOC, {layer: items}, "<t>")
    return record[layer], aligner.section()["layers"][layer]


def test_status_exact_in_order() -> None:
    got, stats = _align("entities", [{"text": "Putin"}, {"text": "Putin"}])
    second = DOC.text.index("Putin said")
    assert [(e["start"], e["end"]) for e in got] == [(0, 5), (second, second + 5)]
    assert stats["counts"]["exact"] == 2


def test_status_normalised() -> None:
    """White space, quotation marks, dashes and case are normalised."""
    got, stats = _align(
        "quotes", [{"text": "we will respond-firmly", "kind": "direct", "cue": "said"}]
    )
    start = DOC.text.index("We will")
    assert (got[0]["start"], got[0]["text"]) == (start, "We will  respond\u2014firmly")
    assert got[0]["cue"]["text"] == "said"
    assert stats["counts"]["normalised"] == 1


def test_status_fuzzy_for_long_spans_only() -> None:
    """A long span with a small slip aligns fuzzily (ratio >= 0.9); a short one does not."""
    got, stats = _align(
        "quotes",
        [{"text": "We will respond firmly and without delays to any threat", "kind": "direct"}],
    )
    assert got[0]["text"].startswith("We will") and got[0]["text"].endswith("threat")
    assert stats["counts"]["fuzzy"] == 1
    got, stats = _align("entities", [{"text": "Mosco"}])
    assert stats["counts"]["unaligned"] == 0  # a word piece is still an exact occurrence
    _, stats = _align("entities", [{"text": "Moscw"}])
    assert stats["counts"]["unaligned"] == 1


def test_status_ambiguous() -> None:
    """Out of order with several unused occurrences: ambiguous, and the first one is taken."""
    got, stats = _align("entities", [{"text": "Putin"}, {"text": "Moscow"}, {"text": "Putin"}])
    assert stats["counts"] == {
        "exact": 3,
        "normalised": 0,
        "fuzzy": 0,
        "ambiguous": 0,
        "unaligned": 0,
    }
    got, stats = _align("entities", [{"text": "media"}, {"text": "Putin"}, {"text": "Putin"}])
    # no Putin after "media": two unused occurrences before it, so the order cannot choose
    assert stats["counts"]["ambiguous"] == 1 and stats["counts"]["exact"] == 2
    assert [e["start"] for e in got[1:]] == [0, DOC.text.index("Putin said")]


def test_word_pieces_only_when_nothing_else() -> None:
    """``Russia`` is not aligned inside ``Russian`` when a whole word exists; a glued title
    (``WorldBiden``) is a seam, not a cut."""
    doc = Document("w", "WorldBiden spoke. Russian troops left Russia.", "2021-12-30", "r")
    record = Aligner().align(doc, {"entities": [{"text": "Biden"}, {"text": "Russia"}]}, "<t>")
    assert [e["start"] for e in record["entities"]] == [5, doc.text.index("Russia.")]


def test_each_occurrence() -> None:
    """Each distinct (text, fields) goes to every occurrence."""
    got, stats = _align("entities", [{"text": "Putin", "label": "PER"}] * 3, each=True)
    assert len(got) == 2 and stats["mentions"] == 1 and stats["counts"]["exact"] == 1
    got, stats = _align("entities", [{"text": "russian", "label": "NORP"}], each=True)
    assert len(got) == 2 and stats["counts"]["normalised"] == 1


def test_problems_are_one_line_with_file_line_and_path(tmp_path: Path, gold: Any) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"doc_id": "x", "entities": [{"start": 0, "end": 1}]}\n'
        '{"doc_id": "y", "entities": [{"label": "PER"}], "extra": 1}\nnot json\n',
        "utf-8",
    )
    with pytest.raises(ValidationError) as err:
        score_mentions_file(gold, path, n_bootstrap=0)
    lines = [str(p) for p in err.value.problems]
    assert lines[0].startswith(f"{path}:1: $.entities[0]: has offsets (expected")
    assert any(s.startswith(f"{path}:2: $.extra: unknown key (expected") for s in lines)
    assert any(s.startswith(f"{path}:2: $.entities[0]: missing 'text' (expected") for s in lines)
    assert any(s.startswith(f"{path}:3: ") for s in lines)
    assert all("\n" not in s for s in lines)


def test_a_bad_label_goes_through_the_one_check(tmp_path: Path, gold: Any) -> None:
    doc_id = sorted(gold.docs)[0]
    path = _write(
        tmp_path / "m.jsonl", [{"doc_id": doc_id, "entities": [{"text": "Putin", "label": "BOSS"}]}]
    )
    with pytest.raises(ValidationError) as err:
        score_mentions_file(gold, path, n_bootstrap=0)
    assert str(err.value.problems[0]).startswith(f"{path}:1: ")


def test_cli_score_mentions_json_and_html(tmp_path: Path, gold: Any) -> None:
    doc_id = sorted(gold.docs)[0]
    path = _write(
        tmp_path / "m.jsonl",
        [
            {
                "doc_id": doc_id,
                "entities": [
                    {"text": "Putin", "label": "PER"},
                    {"text": "Xyzzy Plugh", "label": "ORG"},
                ],
            }
        ],
    )
    out, html = tmp_path / "r.json", tmp_path / "r.html"
    result = CliRunner().invoke(
        main,
        [
            "score",
            str(path),
            "--format",
            "mentions",
            "--bootstrap",
            "0",
            "--json",
            str(out),
            "--html",
            str(html),
            "--root",
            str(ROOT),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text("utf-8"))
    assert data["alignment"]["layers"]["entities"]["counts"]["unaligned"] == 1
    assert "Xyzzy Plugh" in html.read_text("utf-8")
    result = CliRunner().invoke(
        main,
        [
            "score",
            str(path),
            "--format",
            "mentions",
            "--each-occurrence",
            "--bootstrap",
            "0",
            "--json",
            "-",
            "--root",
            str(ROOT),
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["alignment"]["mode"] == "each-occurrence"
    result = CliRunner().invoke(
        main, ["score", str(path), "--each-occurrence", "--root", str(ROOT)]
    )
    assert result.exit_code == 2 and "--each-occurrence" in result.output


def test_callable_returning_mentions_is_aligned() -> None:
    """A callable may answer with strings: no start/end in any item."""

    def llm_like(text: str, dct: str) -> dict[str, Any]:
        return {
            "entities": [{"text": "Putin", "label": "PER"}, {"text": "Qwertyuiop", "label": "PER"}]
        }

    report = evaluate(llm_like, layers=["entities"], n_bootstrap=0).to_json()
    stats = report["alignment"]["layers"]["entities"]
    assert stats["counts"]["unaligned"] == 5 and stats["mentions"] == 10
    assert report["run"]["kind"] == "callable"
    assert report["entities"]["strict"]["precision"] <= 0.5
    each = evaluate(llm_like, layers=["entities"], n_bootstrap=0, each_occurrence=True).to_json()
    assert each["alignment"]["mode"] == "each-occurrence"
    assert each["alignment"]["layers"]["entities"]["mentions"] == 10


def test_placeholder_outside_gold(gold: Any) -> None:
    """Placeholders sit where no gold span of any layer is."""
    for doc in gold.docs.values():
        record = Aligner().align(
            doc, {"entities": [{"text": "Qqqqq Zzzzz", "label": "PER"}]}, "<t>"
        )
        (e,) = record["entities"]
        spans = [(x.start, x.end) for x in (*doc.entities, *doc.dates, *doc.quotes)]
        assert all(not (s < e["end"] and e["start"] < t) for s, t in spans)
        assert "text" not in e


def test_quote_placeholder_has_no_cue() -> None:
    doc = Document(
        "q", "He said yes.", "2021-12-30", "r", quotes=(Quote(8, 11, "yes", "indirect"),)
    )
    record = Aligner().align(
        doc, {"quotes": [{"text": "no way", "kind": "direct", "cue": "said"}]}, "<t>"
    )
    assert record["quotes"][0]["cue"] is None and record["quotes"][0]["start"] == 0


def test_a_mention_said_more_often_than_written_is_a_spurious_duplicate(
    gold: Any, tmp_path: Path
) -> None:
    """Three ``Putin`` for two in the text: the third goes to the first occurrence again (status
    exact), and the engine counts it spurious."""
    got, stats = _align("entities", [{"text": "Putin"}] * 3)
    assert [e["start"] for e in got] == [0, DOC.text.index("Putin said"), 0]
    assert stats["counts"]["exact"] == 3
    doc_id = sorted(gold.docs)[0]
    first = gold.docs[doc_id].entities[0]
    once = {"doc_id": doc_id, "entities": [{"text": first.text, "label": first.label}]}
    n = gold.docs[doc_id].text.count(first.text)
    many = {**once, "entities": once["entities"] * (n + 1)}
    report = score_mentions_file(gold, _write(tmp_path / "m.jsonl", [many]), n_bootstrap=0)
    strict = report.to_json()["entities"]["strict"]
    assert strict["precision"] <= n / (n + 1)
