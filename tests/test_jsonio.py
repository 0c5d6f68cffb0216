"""io: strict decoding, the JSON line locator, deterministic and atomic writes."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgold.errors import NewsgoldError, ValidationError
from newsgold.jsonio import (
    atomic_write,
    document_from_json,
    document_to_json,
    dumps_json,
    iter_jsonl,
    line_index,
    loads_json,
    prediction_from_json,
    prediction_to_json,
    write_files_atomically,
)
from newsgold.model import Prediction

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3)
    ),
    max_leaves=12,
)


def leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict) and value:
        return [leaf for k, v in value.items() for leaf in leaves(v, (*path, k))]
    if isinstance(value, list) and value:
        return [leaf for i, v in enumerate(value) for leaf in leaves(v, (*path, i))]
    return [(path, value)]


@given(json_values)
def test_line_index_points_at_each_leaf(value: Any) -> None:
    """Every leaf's line in an indented dump holds that leaf's JSON rendering."""
    text = dumps_json(value)
    index = line_index(text)
    lines = text.split("\n")  # not splitlines(): JSON text may hold U+0085 or U+2028 raw
    for path, leaf in leaves(value):
        assert path in index
        assert json.dumps(leaf, ensure_ascii=False) in lines[index[path] - 1]


def test_loads_json_rejects_nan_and_trailing_data() -> None:
    """NaN is not JSON, and nothing may follow the value."""
    with pytest.raises(ValidationError, match="NaN is not valid JSON"):
        loads_json('{"a": NaN}', "f")
    with pytest.raises(ValidationError, match=r"f:2: \$: invalid JSON: Extra data"):
        loads_json('{"a": 1}\n{"b": 2}', "f")


def test_iter_jsonl_reports_bad_lines_and_goes_on(tmp_path: Path) -> None:
    """A bad line is a Problem with its number; the lines after it are still read; blank lines are skipped."""
    path = tmp_path / "p.jsonl"
    path.write_bytes(b'{"a": 1}\n\n{oops\n\xff\n{"b": 2}\n')
    got = list(iter_jsonl(path))
    assert [line for line, _ in got] == [1, 3, 4, 5]
    assert got[0][1] == {"a": 1} and got[3][1] == {"b": 2}
    assert str(got[1][1]).startswith(f"{path}:3: $: invalid JSON")
    assert str(got[2][1]).startswith(f"{path}:4: $: invalid UTF-8: byte 0xff")


def test_atomic_write_replaces_whole_file(tmp_path: Path) -> None:
    """The destination holds the new content and no temporary file is left behind."""
    path = tmp_path / "a.json"
    path.write_text("old")
    atomic_write(path, "new\n")
    assert path.read_text() == "new\n"
    assert os.listdir(tmp_path) == ["a.json"]


def test_write_files_atomically_all_or_nothing(tmp_path: Path) -> None:
    """When one file cannot be written, no destination is touched and no temp file stays."""
    good = tmp_path / "good.json"
    good.write_text("old")
    blocked = tmp_path / "dir"
    blocked.mkdir()
    (blocked / "sub").write_text("a file where a folder must be")
    with pytest.raises(NewsgoldError, match="cannot write .*x.json: a file is where a folder"):
        write_files_atomically({good: "new", blocked / "sub" / "x.json": "data"})
    assert good.read_text() == "old"
    assert sorted(os.listdir(tmp_path)) == ["dir", "good.json"]


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_written_files_get_ordinary_modes_under_the_umask(
    tmp_path: Path, umask: int, mode: int
) -> None:
    """Atomic writes (one file, several, and a command's output) give 0666 minus the umask.

    The temporary file mkstemp creates is 0600 whatever the umask; a board or report that only
    its writer can read is no use to a web server or a colleague.
    """
    from click.testing import CliRunner

    from newsgold.cli import main

    old = os.umask(umask)
    try:
        atomic_write(tmp_path / "one.json", "{}\n")
        write_files_atomically({tmp_path / "a" / "x.json": "1\n", tmp_path / "b.md": b"b"})
        (tmp_path / "replaced.json").write_text("old")
        os.chmod(tmp_path / "replaced.json", 0o600)
        atomic_write(tmp_path / "replaced.json", "new\n")
        result = CliRunner().invoke(main, ["ls", "config", "--out", str(tmp_path / "config.xml")])
        assert result.exit_code == 0, result.output
    finally:
        os.umask(old)
    for name in ("one.json", "a/x.json", "b.md", "replaced.json", "config.xml"):
        assert (tmp_path / name).stat().st_mode & 0o777 == mode, name


def test_umask_is_read_without_proc_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without /proc the umask is read by setting and restoring it: same value, left unchanged."""
    import newsgold.jsonio.write as write

    def no_proc(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError("no /proc here")

    monkeypatch.setattr(write, "open", no_proc, raising=False)
    old = os.umask(0o027)
    try:
        assert write._umask() == 0o027
        assert os.umask(0o027) == 0o027
    finally:
        os.umask(old)


def test_gold_document_round_trip(root: Path) -> None:
    """Every gold file equals the serialization of the record read from it, byte for byte."""
    for path in sorted((root / "annotations").glob("0*.json")):
        obj = json.loads(path.read_text(encoding="utf-8"))
        text = (root / "seeds" / f"{path.stem}.txt").read_bytes().decode("utf-8")
        assert dumps_json(document_to_json(document_from_json(obj, text))) == path.read_text(
            encoding="utf-8"
        )


def test_prediction_round_trip_keeps_absent_layers_absent() -> None:
    """A layer the system does not predict stays absent; an empty one stays empty."""
    obj = {
        "doc_id": "d",
        "dates": [],
        "quotes": [{"start": 1, "end": 3, "speaker": "Putin", "cue": None}],
    }
    pred = prediction_from_json(obj)
    assert pred.entities is None and pred.dates == ()
    assert prediction_to_json(pred) == {
        "doc_id": "d",
        "dates": [],
        "quotes": [{"start": 1, "end": 3, "speaker": "Putin"}],
    }
    assert (
        prediction_from_json(prediction_to_json(pred))
        == pred
        == Prediction("d", None, (), pred.quotes)
    )


def _strict_only(path: Path) -> list:
    from newsgold.jsonio.read import _strict_line

    out = []
    for lineno, raw in enumerate(path.read_bytes().splitlines(keepends=True), start=1):
        out += list(_strict_line(lineno, raw, str(path)))
    return out


_JSON_LINES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.tuples(_JSON_LINES, st.integers(0, 5)), min_size=1, max_size=6))
def test_fast_reader_reads_exactly_as_the_strict_decoder(tmp_path_factory, lines) -> None:
    """iter_jsonl's fast path (orjson, kept only when the line is exactly its re-serialisation)
    returns the strict decoder's values and problems, on compact, spaced, escaped, duplicated and
    broken lines alike."""
    import json as json_

    rendered = []
    for value, variant in lines:
        text = json_.dumps(value, separators=(",", ":"), ensure_ascii=variant == 1)
        if variant == 2:
            text = json_.dumps(value)  # spaces after separators
        elif variant == 3 and text.startswith("{") and len(text) > 2:
            text = '{"k":0,"k":1,' + text[1:]  # a duplicate key
        elif variant == 4:
            text = text[:-1] or "{"  # broken
        rendered.append(text)
    path = tmp_path_factory.mktemp("fast") / "p.jsonl"
    path.write_text("\n".join(rendered) + "\n", encoding="utf-8", errors="surrogatepass")
    assert list(iter_jsonl(path)) == _strict_only(path)


def test_deep_nesting_is_one_problem_not_a_traceback(tmp_path: Path) -> None:
    """5,000 nested arrays: the strict decoder's recursion limit becomes a problem of that line."""
    path = tmp_path / "deep.jsonl"
    path.write_text('{"doc_id":"d"}\n' + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    got = list(iter_jsonl(path))
    assert got[0] == (1, {"doc_id": "d"})
    line, problem = got[1]
    assert line == 2 and str(problem) == (
        f"{path}:2: $: invalid JSON: nested too deeply (expected at most 64 levels of arrays and objects)"
    )
