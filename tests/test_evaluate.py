"""Score a system in one call: newsgold.evaluate and `newsgold run` (real systems, no downloads)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import newsgold
from newsgold.cli import main
from newsgold.errors import NewsgoldError, ValidationError
from newsgold.evaluate import evaluate, predict, system_kind
from newsgold.io import iter_jsonl, prediction_from_json
from newsgold.model import Document, Entity, Prediction
from newsgold.report import corpus_version
from newsgold.scoring import Report, score
from newsgold.validate import Gold, load_gold


@pytest.fixture(scope="module")
def gold(root: Path) -> Gold:
    return load_gold(root)


def first_gold_entities(text: str, dct: str, *, gold: Gold) -> dict[str, Any]:
    """A system that knows the answer for half the entities (every other gold entity)."""
    doc = next(d for d in gold.docs.values() if d.text == text)
    return {
        "entities": [{"start": e.start, "end": e.end, "label": e.label} for e in doc.entities[::2]]
    }


def capital_words(text: str, dct: str) -> dict[str, Any]:
    """A callable system: every capitalised word is an ORG; it also reports the dct it saw."""
    ents = [
        {"start": m.start(), "end": m.end(), "text": m.group(0), "label": "ORG"}
        for m in re.finditer(r"\b[A-Z][a-z]+\b", text)
    ]
    capital_words.seen.append(dct)  # type: ignore[attr-defined]
    return {"entities": ents}


capital_words.seen = []  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- callables


def test_evaluate_is_exported() -> None:
    """newsgold.evaluate is the function, not the module."""
    assert newsgold.evaluate is evaluate


def test_callable_report_equals_score_of_its_predictions(
    gold: Gold, tmp_path: Path, root: Path
) -> None:
    """A callable: the report is exactly what score() gives on the same predictions (plus
    the run section), the JSONL it wrote reads back equal, and it got each document's dct."""
    capital_words.seen.clear()  # type: ignore[attr-defined]
    out = tmp_path / "pred.jsonl"
    seen: list[str] = []
    report = evaluate(capital_words, gold=gold, out=out, n_bootstrap=20, on_document=seen.append)
    assert isinstance(report, Report)
    assert seen == sorted(gold.docs)
    assert capital_words.seen == [gold.docs[d].dct for d in sorted(gold.docs)]  # type: ignore[attr-defined]
    lines = [obj for _, obj in iter_jsonl(out)]
    assert [obj["doc_id"] for obj in lines] == sorted(gold.docs)
    expected = score(
        gold,
        [prediction_from_json(o) for o in lines],
        n_bootstrap=20,
        corpus_version=corpus_version(root),
    )
    got = report.to_json()
    run = got.pop("run")
    assert got == expected.to_json()
    assert run["kind"] == "callable" and run["documents"] == len(gold.docs)
    assert run["system"].endswith("capital_words")
    assert run["documents_per_second"] == pytest.approx(len(gold.docs) / run["seconds"], rel=1e-3)
    assert report.to_json()["layers"] == ["entities"]
    assert 0 < report.figure("entities.strict.recall") < 1


def test_half_the_gold_scores_as_half(gold: Gold) -> None:
    """A system returning every other gold entity: precision 1, recall = its share of the gold."""
    report = evaluate(
        lambda text, dct: first_gold_entities(text, dct, gold=gold), gold=gold, n_bootstrap=0
    )
    n_gold = sum(len(d.entities) for d in gold.docs.values())
    n_pred = sum(len(d.entities[::2]) for d in gold.docs.values())
    assert report.figure("entities.strict.precision") == 1.0
    assert report.figure("entities.strict.recall") == round(n_pred / n_gold, 6)


def test_layers_restrict_what_is_kept(gold: Gold) -> None:
    """layers=['dates'] drops the entity layer the callable returned."""
    run = predict(lambda t, d: {"entities": [], "dates": []}, gold.docs, layers=["dates"])
    assert all(p.entities is None and p.dates == () for p in run.predictions)


def test_callable_may_return_a_prediction() -> None:
    """A Prediction record is accepted as well as a dict; a wrong doc_id in it is replaced."""
    docs = {"a": Document("a", "Putin", "2021-12-30", "r")}
    run = predict(lambda t, d: Prediction("zzz", entities=(Entity(0, 5, label="PER"),)), docs)
    assert run.predictions == (Prediction("a", entities=(Entity(0, 5, label="PER"),)),)


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        (
            {"entities": [{"start": 0, "end": 99, "label": "PER"}]},
            "<{name} on a>: $.entities[0].end: 99 > len(text)=5 (expected an offset inside the text)",
        ),
        (
            {"entities": [{"start": 0, "end": 5, "text": "Putn", "label": "PER"}]},
            "<{name} on a>: $.entities[0].text: got 'Putn', expected the text at [0:5] = 'Putin'",
        ),
        (
            {"entities": [{"start": 0, "label": "PER"}]},
            "<{name} on a>: $.entities[0]: missing required key 'end'",
        ),
        (
            ["Putin"],
            '<{name} on a>: $: the system returned ["Putin"] (expected a dict like '
            '{"entities": [...], "dates": [...], "quotes": [...]})',
        ),
        (
            {"doc_id": "b", "entities": []},
            "<{name} on a>: $.doc_id: got 'b', expected 'a' or no doc_id",
        ),
    ],
    ids=["offset-past-end", "wrong-text", "missing-end", "not-a-dict", "other-doc-id"],
)
def test_bad_callable_output(output: Any, expected: str) -> None:
    """Invalid output is reported like a bad predictions line, naming system and document."""
    docs = {"a": Document("a", "Putin", "2021-12-30", "r")}

    def system(text: str, dct: str) -> Any:
        return output

    with pytest.raises(ValidationError) as info:
        predict(system, docs)
    name = f"{__name__}:test_bad_callable_output.<locals>.system"
    assert str(info.value) == expected.replace("{name}", name)


def test_system_that_raises() -> None:
    """An exception inside the system names the document, keeping the cause."""
    docs = {"a": Document("a", "Putin", "2021-12-30", "r")}

    def broken(text: str, dct: str) -> dict[str, Any]:
        raise KeyError("api_key")

    with pytest.raises(NewsgoldError) as info:
        predict(broken, docs)
    assert str(info.value) == (
        f"the system {__name__}:test_system_that_raises.<locals>.broken failed on "
        "document 'a': KeyError: 'api_key'"
    )
    assert isinstance(info.value.__cause__, KeyError)


def test_not_a_system() -> None:
    """Something that is neither a pipeline nor callable."""
    with pytest.raises(NewsgoldError, match=r"^cannot evaluate a str \(expected a spaCy Language"):
        system_kind("en_core_web_sm")


def test_unknown_label_needs_a_scheme(gold: Gold) -> None:
    """OntoNotes labels under the default scheme: the scorer's error, with the --scheme hint."""
    with pytest.raises(ValidationError, match=r"unknown label 'PERSON' .*or pass a --scheme"):
        evaluate(
            lambda t, d: {"entities": [{"start": 0, "end": 1, "label": "PERSON"}]},
            gold=gold,
            n_bootstrap=0,
        )


# --------------------------------------------------------------------------- the CLI


def write_module(folder: Path, name: str, body: str) -> None:
    (folder / f"{name}.py").write_text(body, encoding="utf-8")


def test_cli_run_python_callable(
    tmp_path: Path, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`newsgold run --python MODULE:FUNCTION --score --json`: a module in the current folder."""
    write_module(
        tmp_path,
        "tagger_mod",
        "import re\n"
        "def predict(text, dct):\n"
        "    return {'entities': [{'start': m.start(), 'end': m.end(), 'label': 'GPE'}\n"
        "                         for m in re.finditer(r'\\bRussia\\b', text)]}\n",
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    result = CliRunner().invoke(
        main,
        ["run", "--python", "tagger_mod:predict", "--out", "p.jsonl", "--score", "--json", "r.json",
         "--bootstrap", "0", "--no-progress", "--root", str(root)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["run"]["kind"] == "callable" and report["run"]["system"] == "tagger_mod:predict"
    assert report["run"]["documents_per_second"] > 0
    gold = load_gold(root)
    hits = sum(
        1
        for d in gold.docs.values()
        for m in re.finditer(r"\bRussia\b", d.text)
        if Entity(m.start(), m.end(), "Russia", "GPE")
        in {Entity(e.start, e.end, e.text, e.label) for e in d.entities}
    )
    total = sum(len(re.findall(r"\bRussia\b", d.text)) for d in gold.docs.values())
    assert 0 < hits < total
    assert report["entities"]["strict"]["precision"] == round(hits / total, 6)
    assert "system: callable tagger_mod:predict, 5 documents in" in result.output
    assert len((tmp_path / "p.jsonl").read_text(encoding="utf-8").splitlines()) == 5
    del sys.modules["tagger_mod"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--python", "nosuchmod_xyz:f"], "error: --python 'nosuchmod_xyz:f': cannot import 'nosuchmod_xyz': No module named 'nosuchmod_xyz' (expected a module importable from the current folder or the environment)\n"),
        (["--python", "os:nothing_here"], "error: --python 'os:nothing_here': 'os' has no attribute 'nothing_here'\n"),
        (["--python", "os:sep"], "error: cannot evaluate a str (expected a spaCy Language, a Hugging Face token-classification pipeline, or a callable (text, dct) -> {\"entities\": [...], \"dates\": [...], \"quotes\": [...]})\n"),
        (["--hf", "no/such/folder"], "error: --hf 'no/such/folder': no config.json there (expected a local folder with a saved token-classification model and its tokenizer, as written by save_pretrained; newsgold downloads nothing)\n"),
        (["--spacy", "xx_no_such_pipeline"], "error: cannot load the spaCy pipeline 'xx_no_such_pipeline': [E050] Can't find model 'xx_no_such_pipeline'. It doesn't seem to be a Python package or a valid path to a data directory. (expected an installed pipeline package or a folder written by nlp.to_disk; newsgold downloads nothing)\n"),
    ],
    ids=["no-module", "no-attribute", "not-callable", "hf-not-a-folder", "spacy-not-installed"],
)  # fmt: skip
def test_cli_run_systems_that_do_not_load(
    args: list[str], expected: str, tmp_path: Path, root: Path
) -> None:
    """Each way a named system can fail to load: one line, exit 1, no file written."""
    out = tmp_path / "p.jsonl"
    result = CliRunner().invoke(
        main, ["run", *args, "--out", str(out), "--no-progress", "--root", str(root)]
    )
    assert result.exit_code == 1
    assert result.stderr == expected
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], "give exactly one of --spacy MODEL, --hf PATH, --python MODULE:FUNCTION, --cmd COMMAND"),
        (["--python", "a:b", "--cmd", "x {input} {output}"], "give exactly one of --spacy MODEL, --hf PATH, --python MODULE:FUNCTION, --cmd COMMAND (got --python, --cmd)"),
        (["--python", "a:b", "--timeout", "3"], "--output-format and --timeout apply to --cmd only"),
        (["--python", "a:b", "--json", "-"], "--json needs --score"),
    ],
    ids=["none", "two", "timeout-without-cmd", "json-without-score"],
)  # fmt: skip
def test_cli_run_usage_errors(args: list[str], expected: str, tmp_path: Path) -> None:
    """Option combinations that make no sense: usage error, exit 2."""
    result = CliRunner().invoke(main, ["run", *args, "--out", str(tmp_path / "p.jsonl")])
    assert result.exit_code == 2
    assert f"Error: {expected}" in result.stderr


def test_run_has_help_and_a_readme_section(root: Path) -> None:
    """`newsgold run` is documented: --help works and the README has its section."""
    result = CliRunner().invoke(main, ["run", "--help"])
    assert result.exit_code == 0 and "--cmd COMMAND" in result.output
    assert "### `newsgold run " in (root / "README.md").read_text(encoding="utf-8")
