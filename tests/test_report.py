"""The report renderers (JSON text, rich table, HTML error report) and the score/compare/agree commands."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import ModuleType

from click.testing import CliRunner
from rich.console import Console

from newsgold.cli import main
from newsgold.model import Document, Entity, Gold, Prediction, Quote
from newsgold.report import corpus_version, diagnose, to_html, to_json_text, to_table
from newsgold.scoring import score

HOSTILE = 'Putin <script>alert("x")</script> & “Biden” said'


def _gold() -> Gold:
    doc = Document(
        "d1",
        HOSTILE,
        "2021-12-30",
        "r",
        entities=(Entity(0, 5, "Putin", "PER", "p"), Entity(36, 41, "Biden", "PER", "b")),
        quotes=(Quote(36, 41, "Biden", "partial", None),),
    )
    return Gold({"d1": doc}, ())


def test_html_is_self_contained_and_escaped() -> None:
    """Text with markup in it: no live tag, no external resource, every verdict marked."""
    gold = _gold()
    preds = [
        Prediction(
            "d1",
            entities=(
                Entity(0, 4, label="PER"),
                Entity(6, 14, label="ORG"),
                Entity(36, 41, label="ORG"),
            ),
        )
    ]
    rep = score(gold, preds, n_bootstrap=0)
    page = to_html(rep, gold, preds)
    assert "<script>" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    for verdict in ("partial", "wrong-type", "missed", "spurious"):
        assert f'class="{verdict}"' in page
    assert page.startswith("<!DOCTYPE html>")


def test_diagnose_verdicts() -> None:
    """Each side gets its verdict, with the partner span."""
    gold = _gold()
    found = diagnose(gold.docs["d1"], Prediction("d1", entities=(Entity(0, 5, label="PER"),)))
    assert [(x["side"], x["verdict"]) for x in found["entities"]] == [
        ("gold", "correct"),
        ("gold", "missed"),
        ("pred", "correct"),
    ]


def test_quotes_without_kind_are_not_wrong_type_and_speakers_are_shown() -> None:
    """A system predicting quotes without ``kind`` (textacy): its matched quote is not painted
    wrong-type, kind accuracy is null ("—"), and the page lists gold and predicted speakers."""
    doc = Document(
        "d1",
        HOSTILE,
        "2021-12-30",
        "r",
        quotes=(Quote(36, 41, "Biden", "partial", "joe-biden"),),
    )
    gold = Gold({"d1": doc}, ())
    preds = [Prediction("d1", quotes=(Quote(36, 41, speaker="Putin <b>"),))]
    found = diagnose(doc, preds[0])
    assert [(x["side"], x["verdict"]) for x in found["quotes"]] == [
        ("gold", "correct"),
        ("pred", "correct"),
    ]
    rep = score(gold, preds, n_bootstrap=0)
    assert rep.figure("quotes.kind_accuracy") is None
    page = to_html(rep, gold, preds)
    assert 'class="wrong-type"' not in page.split('<h2 id="d1">')[1]
    assert "<td>joe-biden</td>" in page
    assert "&#x27;Putin &lt;b&gt;&#x27; (not one KB entity)" in page
    assert "[36:41] partial speaker joe-biden correct (vs [36:41] —)" in page


def test_json_text_rounds_and_nulls() -> None:
    """Floats rounded to 6 decimals, undefined figures null, in the written text."""
    gold = _gold()
    rep = score(
        gold, [Prediction("d1", entities=(Entity(0, 5, label="PER"),) * 1, dates=())], n_bootstrap=0
    )
    data = json.loads(to_json_text(rep))
    assert data["entities"]["strict"]["f1"] == round(2 / 3, 6)
    assert data["dates"]["strict"]["f1"] is None


def test_table_lists_headline_figures() -> None:
    """The terminal table has a row per scored figure with its interval."""
    gold = _gold()
    rep = score(gold, [Prediction("d1", entities=(Entity(0, 5, label="PER"),))], n_bootstrap=50)
    console = Console(width=200, record=True)
    console.print(to_table(rep))
    text = console.export_text()
    assert "entities.strict" in text and "0.667" in text and "entities.kb_id_accuracy" in text
    assert "dates.strict" not in text


def test_corpus_version(tmp_path: Path) -> None:
    """corpus/VERSION's first line, else 'unreleased'."""
    assert corpus_version(tmp_path) == "unreleased"
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "VERSION").write_text("1.2.0\n", encoding="utf-8")
    assert corpus_version(tmp_path) == "1.2.0"


# --------------------------------------------------------------------------- CLI


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args))


def test_cli_score_json_and_html(root: Path, tmp_path: Path) -> None:
    """A perfect JSONL prediction of one document: exit 0, JSON written atomically, HTML written, warning on stderr."""
    from newsgold import load_gold
    from newsgold.convert.jsonl import to_jsonl

    gold = load_gold(root)
    doc = next(iter(gold.docs.values()))
    pred = tmp_path / "p.jsonl"
    pred.write_text(
        to_jsonl([Prediction(doc.doc_id, doc.entities, doc.dates, doc.quotes)]), encoding="utf-8"
    )
    out, page = tmp_path / "r.json", tmp_path / "r.html"
    result = _run(
        "score",
        str(pred),
        "--json",
        str(out),
        "--html",
        str(page),
        "--bootstrap",
        "20",
        "--root",
        str(root),
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["entities"]["per_document"][doc.doc_id]["strict"]["f1"] == 1.0
    assert data["gold_sha256"] == gold.sha256
    assert "4 of 5 documents have no prediction" in result.stderr
    assert "<!DOCTYPE html>" in page.read_text(encoding="utf-8")


def test_cli_score_strict_missing_documents(root: Path, tmp_path: Path) -> None:
    """--strict: documents missing from the predictions are an error, one line each, exit 1."""
    pred = tmp_path / "p.jsonl"
    pred.write_text('{"doc_id": "000_e9e65d9efa045d67", "entities": []}\n', encoding="utf-8")
    result = _run("score", str(pred), "--strict", "--root", str(root))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0] == f"{pred}: $: no prediction for document '001_6065d58d5078e82b' (--strict)"
    assert lines[-1] == "4 problems in 1 file"


def test_cli_score_bad_predictions(root: Path, tmp_path: Path) -> None:
    """Unknown doc_id, offsets outside the text, text mismatch, unknown label: exact messages, exit 1."""
    pred = tmp_path / "p.jsonl"
    pred.write_text(
        '{"doc_id": "nope"}\n'
        '{"doc_id": "000_e9e65d9efa045d67", "entities": [{"start": 0, "end": 7, "text": "Rusian", "label": "NORP"}]}\n'
        '{"doc_id": "001_6065d58d5078e82b", "entities": [{"start": 0, "end": 99999, "label": "PER"}]}\n'
        '{"doc_id": "002_7dc57ecce207a157", "entities": [{"start": 0, "end": 3, "label": "PERSON"}]}\n',
        encoding="utf-8",
    )
    result = _run("score", str(pred), "--root", str(root))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(f"{pred}:1: $.doc_id: unknown doc_id 'nope' (expected one of ")
    assert (
        lines[1]
        == f"{pred}:2: $.entities[0].text: got 'Rusian', expected the text at [0:7] = 'Russian'"
    )
    assert lines[2].startswith(f"{pred}:3: $.entities[0].end: 99999 > len(text)=")
    assert lines[3].startswith(
        f"{pred}:4: $.entities[0].label: unknown label 'PERSON' (expected one of GPE, LOC, NORP, ORG, PER; or pass a --scheme)"
    )
    assert lines[-1] == "4 problems in 1 file"
    assert "Traceback" not in result.output


def test_cli_compare_and_agree(root: Path, tmp_path: Path, reference: ModuleType) -> None:
    """compare: exact randomisation on 5 documents with a warning; agree: the second pass against
    the gold, every layer's headline figures equal to the reference scorer's (no code shared)."""
    from newsgold import load_gold
    from newsgold.convert.jsonl import to_jsonl

    gold = load_gold(root)
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text(
        to_jsonl(Prediction(d.doc_id, entities=d.entities) for d in gold.docs.values()),
        encoding="utf-8",
    )
    b.write_text(
        to_jsonl(Prediction(d.doc_id, entities=d.entities[::2]) for d in gold.docs.values()),
        encoding="utf-8",
    )
    result = _run(
        "compare", str(a), str(b), "--unit", "document", "--json", "-", "--root", str(root)
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    fig = data["figures"]["entities.strict.f1"]
    assert fig["a"] == 1.0 and fig["difference"] > 0
    assert fig["p_value"] == round(2 / 32, 6)
    assert "on 5 documents the smallest p-value this test can reach is 0.0625" in result.stderr
    agree = _run(
        "agree",
        str(root / "annotations"),
        str(root / "annotations" / "second_pass"),
        "--json",
        "-",
        "--bootstrap",
        "10",
        "--root",
        str(root),
    )
    assert agree.exit_code == 0, agree.output
    agreement = json.loads(agree.stdout)
    assert agreement["layers"] == ["entities", "dates", "quotes"]
    (pair,) = agreement["pairs"]  # one pair of annotators: the engine's report of it
    agreement = pair["report"]
    second = load_gold(root, root / "annotations" / "second_pass")
    expected = reference.score_records(gold, reference.records_of(second))
    for path in (
        "entities.strict.f1",
        "entities.partial.f1",
        "entities.kb_id_accuracy",
        "entities.macro.strict.f1",
        "dates.strict.f1",
        "dates.relaxed.precision",
        "dates.relaxed.recall",
        "dates.type_accuracy",
        "dates.value_accuracy",
        "dates.mod_accuracy",
        "quotes.strict.f1",
        "quotes.overlap.f1",
        "quotes.kind_accuracy",
        "quotes.speaker_accuracy",
        "quotes.end_to_end.f1",
    ):
        layer, rest = path.split(".", 1)
        got, want = agreement[layer], reference._get(expected[layer], rest)
        for part in rest.split("."):
            got = got[part]
        assert got == (None if want is None else round(want, 6)), (path, got, want)
    # the second pass differs from the first: agreement is not trivially perfect
    assert agreement["entities"]["kb_id_accuracy"] < 1 and agreement["dates"]["strict"]["f1"] < 1


def test_cli_unknown_layer(root: Path, tmp_path: Path) -> None:
    """--layers with a typo: one clear line, exit 1."""
    pred = tmp_path / "p.jsonl"
    pred.write_text('{"doc_id": "000_e9e65d9efa045d67", "entities": []}\n', encoding="utf-8")
    result = _run("score", str(pred), "--layers", "entity", "--root", str(root))
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == "error: unknown layer 'entity' (expected some of entities, dates, quotes)"
    )
