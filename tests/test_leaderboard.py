"""The leaderboard: untrusted submissions, ranking, paired-test marks, escaping, determinism, golden files."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import tracemalloc
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from newsgold.cli import main
from newsgold.errors import UsageError
from newsgold.leaderboard import (
    CappedProblems,
    Submission,
    check_files,
    md_escape,
    min_p_value,
    rank,
    stream_predictions,
    to_html,
    to_markdown,
    to_newsgold_labels,
)
from newsgold.model import Entity, Prediction
from newsgold.validate import load_gold

GOLDEN = Path(__file__).parent / "golden"
SCRIPT = "<script>window.__pwned=1</script>"
ATTR = '"\' onmouseover="window.__pwned=2" x=\'<img src=x onerror="window.__pwned=3">'


def make_submission(folder: Path, system_id: str, *, copy_of: Path, **meta: object) -> Path:
    """A submission folder: another system's predictions under new metadata."""
    folder.mkdir(parents=True)
    shutil.copyfile(copy_of / "predictions.jsonl", folder / "predictions.jsonl")
    base = json.loads((copy_of / "submission.json").read_text())
    base.update({"system_id": system_id, **meta})
    (folder / "submission.json").write_text(json.dumps(base))
    return folder


def hostile_submissions(root: Path, dst: Path) -> Path:
    """The bundled submissions plus a malicious one (script in name, quotes in description) and broken ones."""
    subs = dst / "submissions"
    shutil.copytree(root / "eval" / "submissions", subs)
    rules = subs / "rules"
    make_submission(
        subs / "evil",
        "evil",
        copy_of=rules,
        name=SCRIPT,
        description=ATTR,
        version=SCRIPT,
        license=ATTR[:90],
        url='https://example.org/"><script>window.__pwned=4</script>',
        provenance={"<b>pkg</b>": SCRIPT},
    )
    broken = make_submission(subs / "broken", "broken", copy_of=rules)
    lines = (broken / "predictions.jsonl").read_text().splitlines()
    bad = json.loads(lines[1])
    bad["entities"][0]["end"] = 10**6
    lines[1] = json.dumps(bad)
    (broken / "predictions.jsonl").write_text("\n".join(lines) + "\n")
    # rich markup in a folder name must neither crash the terminal output nor style it
    (subs / "[bold]Bad[red]").mkdir()
    return subs


@pytest.fixture(scope="module")
def hostile_run(root: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """One leaderboard run over the hostile copy (shared by several tests: it takes seconds)."""
    base = tmp_path_factory.mktemp("hostile")
    subs = hostile_submissions(root, base)
    out = base / "out"
    result = CliRunner().invoke(
        main, ["leaderboard", "--submissions", str(subs), "--out", str(out), "--root", str(root)]
    )
    return out, result


def test_invalid_submission_reported_others_ranked(
    hostile_run: tuple[Path, object], root: Path
) -> None:
    """A broken submission: exit 1 with its reason; the valid ones (malicious metadata too) are ranked."""
    out, result = hostile_run
    assert result.exit_code == 1, result.output  # type: ignore[attr-defined]
    stderr = result.stderr  # type: ignore[attr-defined]
    second = sorted(load_gold(root).docs.values(), key=lambda d: d.doc_id)[1]
    assert (
        "\nbroken/predictions.jsonl:2: "
        f"$.entities[0].end: 1000000 > len(text)={len(second.text)} (expected an offset inside the text)"
    ) in stderr
    assert (
        "\n'[bold]Bad[red]': $: folder name is not a "
        "system id (expected [a-z0-9][a-z0-9._-]*, at most 64 characters)"
    ) in stderr
    assert stderr.rstrip().endswith(
        "error: 2 invalid submissions left off the board (pass --allow-invalid to exit 0 anyway)"
    )
    board = json.loads((out / "leaderboard.json").read_text())
    assert sorted(board["submissions"]) == [
        "dateparser",
        "evil",
        "heideltime",
        "recognizers",
        "rules",
        "spacy-sm",
    ]
    assert [i["folder"] for i in board["invalid"]] == ["[bold]Bad[red]", "broken"]
    entity_rows = board["layers"]["entities"]["rows"]
    assert sorted(r["system_id"] for r in entity_rows) == ["evil", "rules", "spacy-sm"]
    assert (out / "reports" / "evil.html").is_file()
    assert "<script>window" not in (out / "reports" / "evil.html").read_text()
    assert not (out / "reports" / "broken.html").exists()


def test_allow_invalid_exits_zero(root: Path, tmp_path: Path) -> None:
    """--allow-invalid: same board, exit 0, the reason still printed."""
    subs = tmp_path / "submissions"
    make_submission(subs / "rules", "rules", copy_of=root / "eval" / "submissions" / "rules")
    (subs / "empty").mkdir()
    result = CliRunner().invoke(
        main,
        [
            "leaderboard",
            "--submissions",
            str(subs),
            "--out",
            str(tmp_path / "o"),
            "--root",
            str(root),
            "--allow-invalid",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "\nempty/submission.json: $: no such file\n" in result.stderr
    assert "\nempty/predictions.jsonl: $: no such file\n" in result.stderr


def test_everything_escaped(hostile_run: tuple[Path, object]) -> None:
    """Script tags and attribute-breaking quotes from a submission appear only escaped, in HTML and Markdown."""
    out, _ = hostile_run
    page = (out / "index.html").read_text()
    assert "<script>window" not in page
    assert 'onmouseover="window' not in page and 'onerror="window' not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert "&quot;&#x27; onmouseover=&quot;window.__pwned=2&quot;" in page
    # exactly one script element: the page's own sorting code
    assert page.count("<script") == 1
    md = (out / "LEADERBOARD.md").read_text()
    assert "<script>" not in md and "<img" not in md
    assert "&lt;script&gt;window.\\_\\_pwned=1&lt;/script&gt;" in md


def test_page_is_self_contained(hostile_run: tuple[Path, object]) -> None:
    """No external asset: no src= or stylesheet link; the only links are error reports and http(s) system URLs."""
    out, _ = hostile_run
    page = (out / "index.html").read_text()
    assert not re.search(r"\ssrc=\"", page)
    assert "stylesheet" not in page
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert all(h.startswith(("reports/", "https://", "data:")) for h in hrefs), hrefs
    assert "Content-Security-Policy" in page and "default-src 'none'" in html.unescape(page)
    assert page.count("<svg") == 3  # one chart per layer


def test_ranks_marks_and_figures_with_intervals(
    hostile_run: tuple[Path, object], root: Path
) -> None:
    """Rows are ordered by the layer's figure; every F1 has an interval; the best and ≈ marks follow
    the Holm-adjusted p-values."""
    out, _ = hostile_run
    board = json.loads((out / "leaderboard.json").read_text())
    gold = load_gold(root)
    assert board["gold_sha256"] == gold.sha256
    assert board["corpus_version"] == (root / "corpus" / "VERSION").read_text().strip()
    assert board["metric_names"]["entities.strict"] == "entities.strict.v1"
    for layer, table in board["layers"].items():
        rows = table["rows"]
        values = [r["figures"][table["ranked_by"]]["value"] for r in rows]
        assert values == sorted(values, reverse=True), layer
        assert rows[0]["best"] and rows[0]["p_value_vs_best"] is None
        for r in rows[1:]:
            assert not r["best"]
            p = r["p_value_vs_best"]
            assert p is not None and 0 <= p <= 1
            # Holm's correction over the layer's comparisons: never below the raw p-value
            assert p <= r["p_value_vs_best_holm"] <= 1
            assert r["indistinguishable_from_best"] == (r["p_value_vs_best_holm"] >= 0.05)
        assert table["tied_with_best"][0] == rows[0]["system_id"]
        for r in rows:
            for path, fig in r["figures"].items():
                if path.endswith("f1"):
                    lo, hi = fig["ci95"]
                    assert lo <= fig["value"] <= hi, (layer, path)
    # the malicious system copies rules' predictions: same figures, same rank, p = 1 against each other
    ent = {r["system_id"]: r for r in board["layers"]["dates"]["rows"]}
    assert ent["evil"]["figures"] == ent["rules"]["figures"]
    assert ent["evil"]["rank"] == ent["rules"]["rank"] == 1


def test_output_is_deterministic(root: Path, tmp_path: Path) -> None:
    """Two runs write byte-identical files (no clock, sorted everything)."""
    outputs = []
    for n in (1, 2):
        out = tmp_path / f"out{n}"
        result = CliRunner().invoke(main, ["leaderboard", "--out", str(out), "--root", str(root)])
        assert result.exit_code == 0, result.output
        outputs.append(
            {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
        )
    assert outputs[0] == outputs[1]
    assert sorted(map(str, outputs[0])) == [
        "LEADERBOARD.md",
        "index.html",
        "leaderboard.json",
        "reports/dateparser.html",
        "reports/heideltime.html",
        "reports/recognizers.html",
        "reports/rules.html",
        "reports/spacy-sm.html",
    ]


def test_committed_board_is_current_and_matches_golden(root: Path, tmp_path: Path) -> None:
    """eval/ holds what `newsgold leaderboard` writes now; LEADERBOARD.md equals tests/golden/LEADERBOARD.md.

    After a change to the gold, the scorer or a submission, regenerate with
    `newsgold leaderboard` and `NEWSGOLD_UPDATE_GOLDEN=1 pytest tests/test_leaderboard.py`.
    """
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["leaderboard", "--out", str(out), "--root", str(root)])
    assert result.exit_code == 0, result.output
    fresh = (out / "LEADERBOARD.md").read_text()
    if os.environ.get("NEWSGOLD_UPDATE_GOLDEN"):
        (GOLDEN / "LEADERBOARD.md").write_text(fresh)
    assert fresh == (GOLDEN / "LEADERBOARD.md").read_text()
    for name in ("LEADERBOARD.md", "leaderboard.json", "index.html"):
        assert (root / "eval" / name).read_text() == (out / name).read_text(), (
            f"eval/{name} is stale: run `newsgold leaderboard`"
        )


COLUMNS = {
    "entities": (
        "strict.f1",
        "exact.f1",
        "partial.f1",
        "type.f1",
        "accepted.f1",
        "macro.strict.f1",
    ),
    "dates": ("strict.f1", "relaxed.f1", "type_f1", "value_f1", "accepted.f1"),
    "quotes": (
        "strict.f1",
        "overlap.f1",
        "end_to_end.f1",
        "speaker_accuracy",
        "per_kind.indirect.recall",
    ),
}


def test_golden_board_figures_recomputed_independently(root: Path, reference: ModuleType) -> None:
    """Every figure of tests/golden/LEADERBOARD.md equals the reference scorer's (no code shared
    with the scorer) on the committed gold and each submission's predictions, its scheme applied.

    The ranking marks and p-values are not recomputed here; the intervals are checked to hold
    their figure."""
    gold = load_gold(root)
    md = (GOLDEN / "LEADERBOARD.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", md, flags=re.M)
    checked = 0
    for layer, paths in COLUMNS.items():
        section = next(s for s in sections if s.lower().startswith(layer))
        rows = re.findall(r"^\| \d+ \| .*\(`([a-z0-9-]+)`\) \| (.*) \| [^|]* \|$", section, re.M)
        assert len(rows) >= 2, (layer, section[:200])
        for system_id, cells in rows:
            folder = root / "eval" / "submissions" / system_id
            scheme = json.loads((folder / "submission.json").read_text(encoding="utf-8"))["scheme"]
            records = reference.read_jsonl(folder / "predictions.jsonl")
            figures = reference.score_records(gold, records, scheme)[layer]
            for path, cell in zip(paths, cells.split(" | "), strict=True):
                m = re.fullmatch(r"(\d\.\d{3})(?: \[(\d\.\d{3}), (\d\.\d{3})\])?", cell)
                assert m, (layer, system_id, cell)
                want = reference._get(figures, path)
                assert want is not None, (layer, system_id, path)
                assert float(m.group(1)) == pytest.approx(want, abs=0.0005 + 1e-9), (
                    layer,
                    system_id,
                    path,
                    cell,
                    want,
                )
                if m.group(2):
                    assert float(m.group(2)) <= float(m.group(1)) <= float(m.group(3)), cell
                checked += 1
    assert checked >= 2 * 6 + 4 * 5 + 2 * 5


# --------------------------------------------------------------------------- submission checks


@pytest.fixture
def subs(tmp_path: Path) -> Path:
    """An empty submissions folder."""
    folder = tmp_path / "eval" / "submissions"
    folder.mkdir(parents=True)
    return folder


def test_folder_name_not_a_system_id(subs: Path, root: Path) -> None:
    """Upper case, spaces or markup in a folder name: invalid, the name quoted."""
    entry = subs / "Bad <Name>"
    make_submission(entry, "bad", copy_of=root / "eval" / "submissions" / "rules")
    sub, problems = check_files(entry, subs)
    assert sub is None
    assert problems == [
        "'Bad\\x20<Name>': $: folder name is not a system id (expected [a-z0-9][a-z0-9._-]*, at most 64 characters)"
    ]


def test_system_id_must_equal_folder(subs: Path, root: Path) -> None:
    """submission.json naming another system than its folder."""
    entry = make_submission(
        subs / "mine", "theirs", copy_of=root / "eval" / "submissions" / "rules"
    )
    assert check_files(entry, subs) == (
        None,
        ["mine/submission.json: $.system_id: got 'theirs', expected the folder name 'mine'"],
    )


def test_symlinks_refused(subs: Path, root: Path, tmp_path: Path) -> None:
    """A symlinked folder or predictions file (here pointing outside eval/) is refused."""
    outside = make_submission(
        tmp_path / "outside", "linked", copy_of=root / "eval" / "submissions" / "rules"
    )
    (subs / "linked").symlink_to(outside, target_is_directory=True)
    assert check_files(subs / "linked", subs) == (
        None,
        [
            "linked/: $: is a symbolic link (expected a real folder inside the submissions folder)".replace(
                "/:", ":"
            )
        ],
    )
    entry = subs / "half"
    entry.mkdir()
    shutil.copyfile(outside / "submission.json", entry / "submission.json")
    (entry / "predictions.jsonl").symlink_to(Path("/etc/passwd"))
    assert check_files(entry, subs) == (
        None,
        ["half/predictions.jsonl: $: is a symbolic link (expected a regular file)"],
    )


def test_submission_schema_problems(subs: Path, root: Path) -> None:
    """A submission.json missing a key and with a bad system id is reported by the schema."""
    entry = make_submission(subs / "x", "x", copy_of=root / "eval" / "submissions" / "rules")
    meta = json.loads((entry / "submission.json").read_text())
    del meta["license"]
    meta["layers"] = ["entities", "tokens"]
    (entry / "submission.json").write_text(json.dumps(meta))
    sub, problems = check_files(entry, subs)
    assert sub is None
    assert "x/submission.json: $: missing required key 'license'" in problems
    assert any(p.startswith("x/submission.json: $.layers[1]:") for p in problems), problems


def _submission(
    folder: Path, layers: list[str], lines: list[dict[str, object]], scheme: str = "newsgold"
) -> Submission:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "predictions.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines))
    meta = {"system_id": folder.name, "name": "n", "layers": layers, "scheme": scheme}
    return Submission(
        folder.name, meta, folder / "predictions.jsonl", f"{folder.name}/predictions.jsonl"
    )


def test_declared_layers_must_match_lines(tmp_path: Path, root: Path) -> None:
    """A line with an undeclared layer, or lacking a declared one, is a problem; so is a document with no line."""
    gold = load_gold(root)
    ids = sorted(gold.docs)
    lines: list[dict[str, object]] = [{"doc_id": ids[0], "dates": [], "quotes": []}]
    lines += [{"doc_id": i, "dates": []} for i in ids[1:]]
    sub = _submission(tmp_path / "s", ["dates"], lines)
    problems: list = []
    got = list(stream_predictions(sub, gold, problems))
    assert [p.doc_id for p in got] == ids[1:]
    assert [str(p) for p in problems] == [
        f"s/predictions.jsonl: $[{ids[0]}]: layer 'quotes' not declared in submission.json $.layers"
    ]
    sub = _submission(
        tmp_path / "t", ["dates", "quotes"], [{"doc_id": i, "dates": []} for i in ids[:-1]]
    )
    problems = []
    list(stream_predictions(sub, gold, problems))
    assert str(problems[0]) == (
        f"t/predictions.jsonl: $[{ids[0]}]: layer 'quotes' declared in submission.json but absent "
        "(expected a list; [] predicts nothing)"
    )
    sub = _submission(tmp_path / "u", ["dates"], [{"doc_id": i, "dates": []} for i in ids[:-1]])
    problems = []
    list(stream_predictions(sub, gold, problems))
    assert [str(p) for p in problems] == [
        f"u/predictions.jsonl: $: no line for document {ids[-1]!r} (expected one line per gold document; "
        "an empty list predicts nothing)"
    ]


def test_scheme_labels_checked(tmp_path: Path, root: Path) -> None:
    """OntoNotes labels are accepted under the ontonotes scheme and refused under newsgold."""
    gold = load_gold(root)
    ids = sorted(gold.docs)
    lines = [{"doc_id": i, "entities": [{"start": 0, "end": 3, "label": "PERSON"}]} for i in ids]
    problems: list = []
    assert len(
        list(
            stream_predictions(
                _submission(tmp_path / "o", ["entities"], lines, "ontonotes"), gold, problems
            )
        )
    ) == len(ids)
    assert problems == []
    list(stream_predictions(_submission(tmp_path / "n", ["entities"], lines), gold, problems))
    assert len(problems) == len(ids)
    assert "unknown label 'PERSON'" in problems[0].message


def _peak_memory(tmp_path: Path, root: Path, lines: int) -> tuple[int, int, CappedProblems]:
    """Peak traced memory while streaming a file of ``lines`` 1 MB lines (each an unknown doc_id)."""
    gold = load_gold(root)
    folder = tmp_path / f"big{lines}"
    folder.mkdir()
    line = json.dumps({"doc_id": "z" * (1 << 20)}) + "\n"
    with (folder / "predictions.jsonl").open("w") as fh:
        for _ in range(lines):
            fh.write(line)
    sub = Submission(
        "big", {"layers": ["dates"]}, folder / "predictions.jsonl", "big/predictions.jsonl"
    )
    problems = CappedProblems(limit=5)
    tracemalloc.start()
    try:
        assert list(stream_predictions(sub, gold, problems)) == []
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return (folder / "predictions.jsonl").stat().st_size, peak, problems


def test_predictions_streamed_with_flat_memory(tmp_path: Path, root: Path) -> None:
    """A 60 MB predictions file of 1 MB lines never sits in memory at once, nor do its problems.

    The peak is the same for 15 and for 60 lines: memory does not grow with the file.
    """
    _, small_peak, _ = _peak_memory(tmp_path, root, 15)
    size, peak, problems = _peak_memory(tmp_path, root, 60)
    assert size > 60_000_000
    assert peak < size / 2, peak
    assert peak - small_peak < 2_000_000, (small_peak, peak)
    assert len(problems) == 5 and problems.dropped == 55
    assert "unknown doc_id 'zzzz" in problems[0].message


# --------------------------------------------------------------------------- pure parts


def test_rank_ties_and_missing() -> None:
    """Competition ranking: equal scores share a rank and the next rank skips; no score goes last."""
    assert rank([]) == []
    assert rank([("b", 0.9), ("a", 0.9), ("c", 0.1)]) == [("a", 1), ("b", 1), ("c", 3)]
    assert rank([("x", None), ("y", 0.0)]) == [("y", 1), ("x", 2)]


def test_md_escape_neutralises_markup() -> None:
    """Pipes cannot break the table; HTML and link syntax are inert."""
    assert md_escape("a|b") == "a\\|b"
    assert md_escape("[x](javascript:alert(1))") == "\\[x\\]\\(javascript:alert\\(1\\)\\)"
    assert md_escape("line\nbreak  <i>") == "line break &lt;i&gt;"


def test_to_newsgold_labels_matches_scheme() -> None:
    """OntoNotes projection: PERSON→PER, FAC→LOC, DATE moves to dates, CARDINAL dropped."""
    p = Prediction(
        "d",
        entities=(
            Entity(0, 2, label="PERSON"),
            Entity(3, 5, label="FAC"),
            Entity(6, 8, label="CARDINAL"),
            Entity(9, 11, label="TIME"),
        ),
    )
    q = to_newsgold_labels(p, "ontonotes")
    assert [(e.start, e.label) for e in q.entities or ()] == [(0, "PER"), (3, "LOC")]
    assert [(d.start, d.type, d.value) for d in q.dates or ()] == [(9, "TIME", None)]
    with pytest.raises(UsageError, match="for the newsgold scheme"):
        to_newsgold_labels(p, "newsgold")


def _board(rows: list[dict[str, object]]) -> dict[str, object]:
    return {
        "corpus_version": "9.9.9",
        "gold_sha256": "ab" * 32,
        "scorer_version": "1",
        "documents": 2,
        "metric_names": {"dates.value_f1": "dates.value_f1.v1"},
        "paired_test": {"smallest_attainable_p_value": 0.5},
        "layers": {
            "dates": {
                "ranked_by": "value_f1",
                "columns": [{"path": "value_f1", "title": "value F1"}],
                "rows": rows,
            }
        },
        "submissions": {},
        "invalid": [{"folder": "x|<y>", "problems": ["bad | thing", "second"]}],
    }


def test_render_empty_layer_and_invalid_list() -> None:
    """A layer nobody predicts says so; invalid submissions are listed escaped."""
    board = _board([])
    md = to_markdown(board)
    assert "No system predicts this layer yet." in md
    assert "- x\\|&lt;y&gt;: bad \\| thing (and 1 more)" in md
    page = to_html(board)
    assert "<code>x|&lt;y&gt;</code>: bad | thing<br>second" in page


def test_render_undefined_figure() -> None:
    """An undefined figure (null) renders as a dash and sorts last (empty data-value)."""
    row = {
        "rank": 1,
        "system_id": "s",
        "name": "S",
        "contamination": "unknown",
        "best": True,
        "p_value_vs_best": None,
        "indistinguishable_from_best": False,
        "figures": {"value_f1": {"value": None, "ci95": None}},
        "per_label": {"value F1": {"value": None, "ci95": None}},
        "report": "reports/s.html",
    }
    board = _board([row])
    assert "| 1 | S **seen?** (`s`) | — | best |" in to_markdown(board)
    assert '<td data-value="">—</td>' in to_html(board)


def test_capped_problems_counts_the_rest() -> None:
    """Problems beyond the cap are counted and said, never silently dropped."""
    from newsgold.errors import Problem

    ps = CappedProblems(limit=2)
    for i in range(5):
        ps.append(Problem("f", i, "$", "m"))
    assert len(ps) == 2 and ps.lines()[-1] == "… and 3 more problems not listed"


def test_missing_submissions_folder(root: Path, tmp_path: Path) -> None:
    """A submissions folder that does not exist: exit 1, the folder named, nothing written."""
    missing = tmp_path / "nope"
    result = CliRunner().invoke(
        main,
        [
            "leaderboard",
            "--submissions",
            str(missing),
            "--out",
            str(tmp_path / "o"),
            "--root",
            str(root),
        ],
    )
    assert result.exit_code == 1
    assert result.stderr == (
        f"{missing}: $: no such folder (expected a folder of submissions)\n1 problem in 1 file\n"
    )
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("command", ["leaderboard", "baseline"])
def test_commands_have_help_and_readme_section(command: str, documentation: str) -> None:
    """Each command of this module has --help and a section in README.md or docs/*.md."""
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert f"main {command} [OPTIONS]" in result.output
    assert f"### `newsgold {command} " in documentation


@given(
    st.lists(
        st.tuples(st.from_regex(r"[a-z]{1,3}", fullmatch=True), st.none() | st.floats(0, 1)),
        unique_by=lambda t: t[0],
        max_size=12,
    )
)
def test_rank_properties(scores: list[tuple[str, float | None]]) -> None:
    """Every system ranked once; ranks start at 1, never decrease; a better score never ranks lower."""
    ranked = rank(scores)
    assert sorted(s for s, _ in ranked) == sorted(s for s, _ in scores)
    places = [r for _, r in ranked]
    assert places == sorted(places)
    assert not places or places[0] == 1
    value = dict(scores)
    for (a, ra), (b, rb) in zip(ranked, ranked[1:], strict=False):
        if value[a] is not None and value[b] is not None:
            assert value[a] >= value[b]
            assert (ra == rb) == (value[a] == value[b])


def test_min_p_value_is_the_exact_tests_floor(root: Path) -> None:
    """On n <= 16 documents the exact test cannot go below 2 / 2**n; the board states it when above alpha."""
    gold = load_gold(root)
    n = len(gold.docs)
    assert n <= 16
    assert min_p_value(gold) == pytest.approx(2 / 2**n)
    note = (
        "On 2 documents, with documents as the unit, the smallest p-value this test can reach "
        "is 0.5, above 0.05"
    )
    assert note in to_markdown(_board([]))
    assert note in to_html(_board([]))
