"""Submissions (issue 13): `newsgold submission check` (the board's own check), the gold it was
made against, contamination on the board, scripts/check-submissions.sh in a real git repository,
the Recognizers-Text baseline's mapping, and docs/submissions.md's examples."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsgold.baselines.recognizers_baseline import (
    Found,
    RecognizersError,
    _import_recognizers,
    find_dates,
    nearest,
    recognize,
    same_length_text,
    to_date,
)
from newsgold.cli import main
from newsgold.validate import load_gold

ROOT = Path(__file__).resolve().parents[1]
SUBS = ROOT / "eval" / "submissions"
SCRIPT = ROOT / "scripts" / "check-submissions.sh"
ROW = re.compile(
    r"^\s+(\d+)\s+(\S+)\s+(this submission|baseline|submission)\s+(yes|no|unknown)\s", re.M
)


def copy_submission(dst: Path, system_id: str, *, like: str = "recognizers", **meta: Any) -> Path:
    """A submission folder: a bundled system's predictions under a new id and metadata."""
    dst.mkdir(parents=True)
    shutil.copyfile(SUBS / like / "predictions.jsonl", dst / "predictions.jsonl")
    base = json.loads((SUBS / like / "submission.json").read_text(encoding="utf-8"))
    base.update({"system_id": system_id, **meta})
    (dst / "submission.json").write_text(json.dumps(base, indent=2), encoding="utf-8")
    return dst


def check(folder: Path, *extra: str) -> Any:
    return CliRunner().invoke(
        main, ["submission", "check", str(folder), "--root", str(ROOT), *extra]
    )


# --------------------------------------------------------------------------- the check


def test_valid_submission_ranked_beside_the_board(tmp_path: Path) -> None:
    """A copy of a bundled system under a new id is valid and ranked among every board row, with
    the same figure and therefore the same rank as the original; baselines and seen texts marked."""
    copy_submission(tmp_path / "subs" / "my-dates", "my-dates", contamination="unknown")
    result = check(tmp_path / "subs" / "my-dates")
    assert result.exit_code == 0, result.output
    gold = load_gold(ROOT)
    assert result.stderr.strip() == (
        f"ok: my-dates is valid: made against corpus 2.0.0, gold sha256 {gold.sha256}; "
        "the leaderboard will rank it"
    )
    rows = ROW.findall(result.stdout)
    board = json.loads((ROOT / "eval" / "leaderboard.json").read_text(encoding="utf-8"))
    on_board = {r["system_id"]: r for r in board["layers"]["dates"]["rows"]}
    assert sorted(s for _, s, _, _ in rows) == sorted([*on_board, "my-dates"])
    mine = next(r for r in rows if r[1] == "my-dates")
    assert mine[2:] == ("this submission", "unknown")
    assert int(mine[0]) == on_board["recognizers"]["rank"]
    for place, system_id, kind, seen in rows:
        if system_id == "my-dates":
            continue
        assert kind == "baseline"  # every bundled system's method is a file of this repository
        assert seen == on_board[system_id]["contamination"]
        # a tie shares the rank; a system below the new one moves down by one
        below = on_board[system_id]["rank"] > on_board["recognizers"]["rank"]
        assert int(place) == on_board[system_id]["rank"] + below
    # the figures and intervals are the board's own (same scoring, same bootstrap)
    fig = on_board["recognizers"]["figures"]["value_f1"]
    line = next(x for x in result.stdout.splitlines() if " my-dates " in x)
    tokens = line.split()
    assert tokens[-2:] == [f"[{fig['ci95'][0]:.3f},", f"{fig['ci95'][1]:.3f}]"], line
    assert f"{fig['value']:.3f}" in tokens[:-2], line
    # only the layers the submission predicts are shown
    assert "Dates (ranked by value_f1)" in result.stdout and "Entities" not in result.stdout


def test_scored_over_the_units_of_the_board_beside_it(tmp_path: Path) -> None:
    """A board built over documents: the candidate's interval is computed over documents too, so
    it equals the board's interval of the same predictions (not the default unit's)."""
    board_dir = tmp_path / "board"
    subs = tmp_path / "subs"
    copy_submission(subs / "recognizers", "recognizers", like="recognizers")
    made = CliRunner().invoke(
        main,
        ["leaderboard", "--submissions", str(subs), "--out", str(board_dir), "--unit", "document",
         "--root", str(ROOT)],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    board = json.loads((board_dir / "leaderboard.json").read_text(encoding="utf-8"))
    assert board["paired_test"]["unit"] == "document"
    fig = board["layers"]["dates"]["rows"][0]["figures"]["value_f1"]
    default = json.loads((ROOT / "eval" / "leaderboard.json").read_text(encoding="utf-8"))
    other = {r["system_id"]: r for r in default["layers"]["dates"]["rows"]}["recognizers"]
    assert other["figures"]["value_f1"]["ci95"] != fig["ci95"]  # the units do differ here
    copy_submission(tmp_path / "cand" / "mine", "mine")
    result = check(tmp_path / "cand" / "mine", "--board", str(board_dir / "leaderboard.json"))
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stdout.splitlines() if " mine " in x)
    assert line.split()[-2:] == [f"[{fig['ci95'][0]:.3f},", f"{fig['ci95'][1]:.3f}]"], line


@pytest.mark.parametrize(
    ("content", "path", "what"),
    [
        ("[1, 2]", "$", "got a JSON list, not an object"),
        ('{"layers": {}}', "$.paired_test", "missing or not an object"),
        ('{"paired_test": {}, "layers": {"dates": {"rows": {}}}}', "$.layers.dates.rows",
         "missing or not a list"),
        ('{"paired_test": {}, "layers": {"dates": {"rows": [{"system_id": "x"}]}}}',
         "$.layers.dates.rows[0]", "not an object with system_id, name, figures"),
    ],
)  # fmt: skip
def test_a_malformed_board_is_one_line(tmp_path: Path, content: str, path: str, what: str) -> None:
    """--board FILE that is not a leaderboard.json: one line naming where, no traceback."""
    board = tmp_path / "board.json"
    board.write_text(content, encoding="utf-8")
    result = check(SUBS / "recognizers", "--board", str(board))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr.splitlines()[0] == (
        f"{board}: {path}: {what} (expected a leaderboard.json as `newsgold leaderboard` writes it)"
    )


def test_submission_made_against_other_gold_is_refused(tmp_path: Path) -> None:
    """gold_sha256 and corpus_version of another gold: exit 1, each mismatch naming both values."""
    gold = load_gold(ROOT)
    folder = copy_submission(
        tmp_path / "subs" / "old", "old", gold_sha256="0" * 64, corpus_version="1.0.0"
    )
    result = check(folder)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"old/submission.json: $.gold_sha256: made against gold {'0' * 64}, but the current gold "
        f"is {gold.sha256} (expected the current gold's sha256: check the predictions against the current "
        "gold with `newsgold submission check` and record its sha256)",
        "old/submission.json: $.corpus_version: made against corpus '1.0.0', but the current "
        "corpus is 2.0.0 (expected the current corpus version)",
        "old: not valid: the leaderboard would leave it off (2 problems)",
    ]
    assert result.stdout == ""


def test_other_gold_and_bad_lines_are_all_reported(tmp_path: Path) -> None:
    """The gold mismatch does not hide the predictions' own problems: every one is listed."""
    folder = copy_submission(tmp_path / "subs" / "both", "both", gold_sha256="2" * 64)
    lines = (folder / "predictions.jsonl").read_text().splitlines()
    lines[0] = lines[0].replace('"dates"', '"quotes": [], "dates"', 1)
    (folder / "predictions.jsonl").write_text("\n".join(lines) + "\n")
    result = check(folder)
    assert result.exit_code == 1
    got = result.stderr.splitlines()
    assert got[0].startswith("both/submission.json: $.gold_sha256: made against gold 2222")
    assert got[1].startswith("both/predictions.jsonl: $[")
    assert "layer 'quotes' not declared in submission.json $.layers" in got[1]
    assert got[-1] == "both: not valid: the leaderboard would leave it off (2 problems)"


@pytest.mark.parametrize(
    ("meta", "path"),
    [
        ({"contamination": "maybe"}, "$.contamination"),
        ({"training_cutoff": "last year"}, "$.training_cutoff"),
        ({"gold_sha256": "ABC"}, "$.gold_sha256"),
    ],
)
def test_submission_metadata_schema(tmp_path: Path, meta: dict[str, str], path: str) -> None:
    """The new fields are checked by the schema: a bad value is one line at its JSON path."""
    folder = copy_submission(tmp_path / "subs" / "x", "x", **meta)
    result = check(folder)
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"x/submission.json: {path}: "), first


@pytest.mark.parametrize(
    "key", ["contamination", "training_data", "training_cutoff", "gold_sha256", "corpus_version"]
)
def test_new_fields_are_required(tmp_path: Path, key: str) -> None:
    """What the system was made against, trained on, and whether it saw these texts: required."""
    folder = copy_submission(tmp_path / "subs" / "x", "x")
    meta = json.loads((folder / "submission.json").read_text())
    del meta[key]
    (folder / "submission.json").write_text(json.dumps(meta))
    result = check(folder)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"x/submission.json: $: missing required key {key!r}"


def test_check_and_board_give_the_same_verdict(tmp_path: Path) -> None:
    """For valid and invalid submissions alike, `submission check` reports what the board reports
    (one function): the same problem lines, the same valid set."""
    subs = tmp_path / "subs"
    copy_submission(subs / "rules", "rules", like="rules")
    copy_submission(subs / "old", "old", gold_sha256="1" * 64)
    broken = copy_submission(subs / "broken", "broken")
    lines = (broken / "predictions.jsonl").read_text().splitlines()
    bad = json.loads(lines[2])
    bad["dates"][0]["start"] = -1
    lines[2] = json.dumps(bad)
    (broken / "predictions.jsonl").write_text("\n".join(lines) + "\n")
    copy_submission(subs / "wrong-id", "right-id")
    (subs / "Bad Name").mkdir()
    out = tmp_path / "board"
    result = CliRunner().invoke(
        main,
        [
            "leaderboard",
            "--submissions",
            str(subs),
            "--out",
            str(out),
            "--root",
            str(ROOT),
            "--allow-invalid",
        ],
    )
    assert result.exit_code == 0, result.output
    board = json.loads((out / "leaderboard.json").read_text())
    invalid = {i["folder"]: i["problems"] for i in board["invalid"]}
    assert sorted(invalid) == ["Bad Name", "broken", "old", "wrong-id"]
    assert sorted(board["submissions"]) == ["rules"]
    for folder in sorted(subs.iterdir()):
        verdict = check(folder, "--board", str(out / "leaderboard.json"))
        if folder.name in invalid:
            assert verdict.exit_code == 1
            assert verdict.stderr.splitlines()[:-1] == invalid[folder.name], folder.name
        else:
            assert verdict.exit_code == 0, verdict.output
    assert board["submissions"]["rules"]["contamination"] == "yes"
    assert "(seen)" in result.stdout  # the terminal table marks it too


def test_board_shows_contamination(root: Path) -> None:
    """The committed board: each row carries its submission's contamination; Markdown and HTML
    mark the rules baseline (written by looking at these texts) as having seen them."""
    board = json.loads((root / "eval" / "leaderboard.json").read_text(encoding="utf-8"))
    for layer in board["layers"].values():
        for row in layer["rows"]:
            meta = json.loads((SUBS / row["system_id"] / "submission.json").read_text())
            assert row["contamination"] == meta["contamination"]
            assert board["submissions"][row["system_id"]]["gold_sha256"] == board["gold_sha256"]
    md = (root / "eval" / "LEADERBOARD.md").read_text(encoding="utf-8")
    assert "| Rules \\(regular expressions\\) **seen** (`rules`) |" in md
    assert "**seen**" not in next(line for line in md.splitlines() if "(`recognizers`)" in line)
    page = (root / "eval" / "index.html").read_text(encoding="utf-8")
    rules_rows = re.findall(r'<tr class="[^"]*" data-system="rules">.*?</tr>', page)
    assert rules_rows and all('<span class="mark seen">seen</span>' in r for r in rules_rows)
    assert (
        "Has seen these texts: yes \\(its rules were written by looking at these five texts" in md
    )


def test_bundled_submissions_record_the_current_gold(root: Path) -> None:
    """Every bundled submission was checked against the current gold (the board would refuse it)."""
    gold = load_gold(root)
    for folder in sorted(SUBS.iterdir()):
        meta = json.loads((folder / "submission.json").read_text(encoding="utf-8"))
        assert meta["gold_sha256"] == gold.sha256, folder.name
        assert meta["corpus_version"] == (root / "corpus" / "VERSION").read_text().strip()
    assert json.loads((SUBS / "rules" / "submission.json").read_text())["contamination"] == "yes"
    spacy = json.loads((SUBS / "spacy-sm" / "submission.json").read_text())
    assert "OntoNotes 5.0" in spacy["training_data"] and spacy["contamination"] == "no"


# --------------------------------------------------------------------------- the CI script


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def copy_repository(dst: Path) -> Path:
    """The worktree's files as git sees them (tracked and new, not ignored), uncommitted edits included."""
    listed = _git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.split("\0")):
        src = ROOT / name
        if src.is_file() and not src.is_symlink():
            (dst / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst / name)
    return dst


@pytest.fixture(scope="module")
def base_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository of the current worktree, one commit on branch main."""
    repo = copy_repository(tmp_path_factory.mktemp("base") / "repo")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "base")
    return repo


def pull_request(base_repo: Path, tmp_path: Path, change: Any) -> Path:
    """A clone of the base on a branch with one commit made by ``change(clone)``."""
    clone = tmp_path / "pr"
    _git(tmp_path, "clone", "-q", str(base_repo), str(clone))
    _git(clone, "checkout", "-q", "-b", "pr")
    change(clone)
    _git(clone, "add", "-A")
    _git(clone, "commit", "-q", "-m", "pull request")
    return clone


def run_script(clone: Path, base: str = "origin/main") -> subprocess.CompletedProcess[str]:
    newsgold = Path(sys.executable).with_name("newsgold")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NEWSGOLD": str(newsgold)}
    return subprocess.run(
        ["bash", str(clone / "scripts" / "check-submissions.sh"), base],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _add(clone: Path, system_id: str, **meta: Any) -> None:
    copy_submission(clone / "eval" / "submissions" / system_id, system_id, **meta)


def test_script_passes_a_good_pull_request(base_repo: Path, tmp_path: Path) -> None:
    """One new valid submission folder: checked, exit 0."""
    clone = pull_request(base_repo, tmp_path, lambda c: _add(c, "my-dates"))
    done = run_script(clone)
    assert done.returncode == 0, done.stderr
    assert "check-submissions: newsgold submission check eval/submissions/my-dates" in done.stderr
    assert "ok: my-dates is valid" in done.stderr
    assert done.stderr.rstrip().endswith(
        "check-submissions: ok: 1 submission(s) checked, nothing changed outside "
        "eval/submissions/<system_id>/"
    )
    assert re.search(r"^\s+\d+\s+my-dates\s+this submission\s+no\s", done.stdout, re.M)


def test_script_refuses_a_change_to_the_gold(base_repo: Path, tmp_path: Path) -> None:
    """A valid submission plus an edit of annotations/: the path is named, exit 1."""

    def change(clone: Path) -> None:
        _add(clone, "my-dates")
        guide = clone / "annotations" / "GUIDELINES.md"
        guide.write_text(guide.read_text(encoding="utf-8") + "\nA sneaky rule.\n", encoding="utf-8")

    done = run_script(pull_request(base_repo, tmp_path, change))
    assert done.returncode == 1
    assert (
        "annotations/GUIDELINES.md: changed outside eval/submissions/<system_id>/ (expected a "
        "pull request that only adds or updates submission folders)"
    ) in done.stderr.splitlines()
    assert "ok: my-dates is valid" in done.stderr  # the submission itself is still checked
    assert "check-submissions: 1 problem(s) between" in done.stderr


def test_script_refuses_a_submission_made_against_other_gold(
    base_repo: Path, tmp_path: Path
) -> None:
    """A submission with a wrong gold sha256: the check's message naming both values, exit 1."""
    wrong = "f" * 64
    clone = pull_request(base_repo, tmp_path, lambda c: _add(c, "stale", gold_sha256=wrong))
    done = run_script(clone)
    assert done.returncode == 1
    gold = load_gold(ROOT)
    assert (
        f"stale/submission.json: $.gold_sha256: made against gold {wrong}, but the current gold "
        f"is {gold.sha256}"
    ) in done.stderr
    assert "stale: not valid: the leaderboard would leave it off (1 problem)" in done.stderr


def test_script_usage_errors(base_repo: Path, tmp_path: Path) -> None:
    """No BASE, or a BASE that is not a commit: exit 2 with the usage."""
    clone = pull_request(base_repo, tmp_path, lambda c: _add(c, "x"))
    done = subprocess.run(
        ["bash", str(clone / "scripts" / "check-submissions.sh")],
        cwd=clone,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and done.stderr.startswith("usage: scripts/check-submissions.sh")
    done = run_script(clone, "no-such-branch")
    assert done.returncode == 2
    assert "no-such-branch: not a commit" in done.stderr


# --------------------------------------------------------------------------- Recognizers-Text


THU = dt.date(2021, 12, 30)


@pytest.fixture(scope="module")
def recognizers() -> tuple[Any, Any]:
    """The real English DateTime model and the library's preprocessing (loaded once)."""
    recognizer, culture, processor = _import_recognizers()
    return recognizer(culture.English).get_datetime_model(), processor.preprocess


def dates(text: str, recognizers: tuple[Any, Any], dct: dt.date = THU) -> list[tuple[Any, ...]]:
    found = find_dates(text, dct, *recognizers)
    for d in found:
        assert text[d.start : d.end] == d.text  # exclusive end, original case
    return [(d.text, d.type, d.value, d.mod) for d in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # DATE: a weekday takes the candidate nearest the document date; the preposition leaves
        ("Talks on Thursday.", [("Thursday", "DATE", "2021-12-30", None)]),
        ("They meet January 10.", [("January 10", "DATE", "2022-01-10", None)]),
        ("It was signed in 1991.", [("1991", "DATE", "1991", None)]),
        ("Talks in early January.", [("early January", "DATE", "2022-01", "START")]),
        ("It was previously said.", [("previously", "DATE", "PAST_REF", None)]),
        # a preposition's mod leaves with the preposition (guideline 5.2 and 5.4)
        ("It held before 1997.", [("1997", "DATE", "1997", None)]),
        # a range has no single TIMEX3 value
        ("Talks from 10 to 12 January.", [("10 to 12 January", "DATE", None, None)]),
        # TIME: a clock time on the document date, a part of a day on its day
        ("Call at 5pm.", [("5pm", "TIME", "2021-12-30T17:00", None)]),
        ("Yesterday evening, a call.", [("Yesterday evening", "TIME", "2021-12-29TEV", None)]),
        # found but left unresolved by Recognizers-Text: a TIME without value
        ("The call, around 20:30 GMT.", [("around 20:30", "TIME", None, None)]),
        # DURATION
        ("It lasted 50 minutes.", [("50 minutes", "DURATION", "PT50M", None)]),
        ("It takes two weeks.", [("two weeks", "DURATION", "P2W", None)]),
        # SET
        ("They meet every Thursday.", [("every Thursday", "SET", "XXXX-WXX-4", None)]),
        ("The annual conference.", [("annual", "SET", "P1Y", None)]),
        # İ lowercases to two code points: later offsets must not shift
        ("İİ İstanbul talks on Monday.", [("Monday", "DATE", "2021-12-27", None)]),
    ],
)
def test_recognizers_mapping(
    text: str, expected: list[tuple[Any, ...]], recognizers: tuple[Any, Any]
) -> None:
    """Hand-written cases of every TIMEX3 type, resolved against Thursday 30 December 2021."""
    assert dates(text, recognizers) == expected


def test_inclusive_end_made_exclusive_and_text_verified() -> None:
    """A result's inclusive end becomes exclusive; a match that is not the text there is an error."""
    text = "Thursday talks"
    query = text.lower()
    resolution = {"values": [{"timex": "XXXX-WXX-4", "type": "date", "value": "2021-12-30"}]}
    got = to_date(Found(0, 7, "thursday", "datetimeV2.date", resolution), text, query, THU)
    assert (got.start, got.end, got.text, got.type, got.value) == (
        0,
        8,
        "Thursday",
        "DATE",
        "2021-12-30",
    )
    with pytest.raises(RecognizersError, match=r"returned 'thursday' at \[1, 8\] but the text"):
        to_date(Found(1, 8, "thursday", "datetimeV2.date", resolution), text, query, THU)
    with pytest.raises(RecognizersError, match=r"mod 'approx'"):
        odd = {"values": [{**resolution["values"][0], "Mod": "approx"}]}
        to_date(Found(0, 7, "thursday", "datetimeV2.date", odd), text, query, THU)
    with pytest.raises(RecognizersError, match=r"type 'datetimeV2.timezone'"):
        to_date(Found(0, 7, "thursday", "datetimeV2.timezone", None), text, query, THU)


def test_nearest_candidate() -> None:
    """The candidate nearest the document date wins; one without a day never does."""
    later = {"timex": "XXXX-01-10", "value": "2022-01-10"}
    earlier = {"timex": "XXXX-01-10", "value": "2021-01-10"}
    assert nearest([earlier, later], THU) is later
    assert nearest([{"timex": "FA", "value": "not resolved"}, earlier], THU) is earlier
    ranged = {"timex": "XXXX-12", "start": "2021-12-01", "end": "2021-12-16"}
    assert nearest([{"timex": "XXXX-12", "start": "2020-12-01"}, ranged], THU) is ranged


def test_same_length_text() -> None:
    """Every code point whose lowercase is longer (only U+0130 in Python's tables) is replaced."""
    text = "".join(chr(i) for i in range(0x20, 0x3000))
    same = same_length_text(text)
    assert len(same.lower()) == len(text)
    assert [c for c, s in zip(text, same, strict=True) if c != s] == ["\u0130"]


def test_recognize_equals_the_models_parse(recognizers: tuple[Any, Any], root: Path) -> None:
    """Our run of the extractor and parser returns what DateTimeModel.parse returns, on every
    corpus document (parse only adds the exception swallowing we leave out)."""
    model, preprocess = recognizers
    for doc in load_gold(root).docs.values():
        text = same_length_text(doc.text)
        ref = dt.datetime.fromisoformat(doc.dct)
        ours = recognize(model, preprocess(text), ref)
        theirs = model.parse(text, ref)
        assert ours and [(f.start, f.end, f.text, f.type_name, f.resolution) for f in ours] == [
            (r.start, r.end, r.text, r.type_name, r.resolution) for r in theirs
        ]
