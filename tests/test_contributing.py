"""CONTRIBUTING.md walked: its metric and format recipes, run as written, reach the CLI, the
report and the leaderboard without touching any other module; the format table of
docs/formats.md is the registry's."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgold.cli import main
from newsgold.formats import FORMATS, markdown_table, unregister_format
from newsgold.scoring.registry import LAYERS, unregister_metric
from newsgold.validate import load_gold

ROOT = Path(__file__).resolve().parents[1]


def _recipe(title: str) -> str:
    """The Python block under a CONTRIBUTING.md heading."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]
    [block] = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    return block


@pytest.fixture
def toy_metric() -> Iterator[None]:
    exec(compile(_recipe("How to add a metric"), "CONTRIBUTING.md", "exec"), {})
    yield
    unregister_metric("entities", "linked_share")


@pytest.fixture
def toy_format() -> Iterator[None]:
    exec(compile(_recipe("How to add a format"), "CONTRIBUTING.md", "exec"), {})
    yield
    unregister_format("tsv")


def _linked_share(root: Path, jsonl: Path) -> float | None:
    """The share recomputed by hand from the file: linked predictions over predictions."""
    pred = linked = 0
    for line in jsonl.read_text(encoding="utf-8").splitlines():
        for e in json.loads(line).get("entities", []):
            pred += 1
            linked += e.get("kb_id") is not None
    return round(linked / pred, 6) if pred else None


def test_a_metric_from_the_recipe_reaches_report_table_and_board(
    toy_metric: None, root: Path, tmp_path: Path
) -> None:
    preds = root / "eval" / "submissions" / "rules" / "predictions.jsonl"
    result = CliRunner().invoke(main, ["score", str(preds), "--bootstrap", "0", "--json", "-"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["entities"]["linked_share"] == _linked_share(root, preds)
    assert report["metric_names"]["entities.linked_share"] == "entities.linked_share.v1"
    table = CliRunner().invoke(main, ["score", str(preds), "--bootstrap", "0"])
    assert re.search(r"entities\.linked_share\s.*\d\.\d{3}", table.stdout)
    # the leaderboard's columns come from the same registry
    from newsgold.leaderboard import COLUMNS

    assert ("linked_share", "linked share") in COLUMNS["entities"]


def test_a_format_from_the_recipe_is_read_by_the_cli(toy_format: None, tmp_path: Path) -> None:
    gold = load_gold(ROOT)
    lines = [
        f"{doc.doc_id}\t{e.start}\t{e.end}\t{e.label}"
        for doc in gold.docs.values()
        for e in doc.entities
    ]
    path = tmp_path / "pred.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert "tsv" in FORMATS
    result = CliRunner().invoke(
        main, ["score", str(path), "--format", "tsv", "--bootstrap", "0", "--json", "-"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["entities"]["strict"]["f1"] == 1.0
    # a wrong offset is found by the one check, worded once, with the reader's file name
    path.write_text(lines[0].rsplit("\t", 2)[0] + "\t99999\tPER\n", encoding="utf-8")
    bad = CliRunner().invoke(main, ["score", str(path), "--format", "tsv", "--bootstrap", "0"])
    assert bad.exit_code == 1
    assert re.search(
        r"pred\.tsv: \$\[[^]]+\]\.entities\[0\]\.end: 99999 > len\(text\)=", bad.output
    )


def test_documented_format_table_is_the_registry(documentation: str) -> None:
    """The table of formats in the documentation (docs/formats.md) is made from the registry."""
    assert markdown_table() in documentation


def test_layers_are_registered_once() -> None:
    assert list(LAYERS) == ["entities", "dates", "quotes"]
    names = [m.name for layer in LAYERS.values() for m in layer.all_metrics() if m.name]
    assert len(names) == len(set(names))


def test_removed_names_say_where_they_went() -> None:
    """1.x names that are gone fail with a message naming their replacement."""
    import importlib

    import newsgold.scoring

    with pytest.raises(AttributeError, match="newsgold.predcheck.record_problems"):
        newsgold.scoring.check_prediction_records  # noqa: B018
    with pytest.raises(ImportError, match="newsgold.predcheck"):
        importlib.import_module("newsgold.fastcheck")
