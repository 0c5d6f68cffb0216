"""TimeML (TIMEX3 inline tags) back to code-point offsets: newsgold.convert.timeml."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgold.convert.timeml import from_timeml, to_timeml
from newsgold.errors import ValidationError
from newsgold.model import Date, Document

FIXTURES = Path(__file__).parent / "fixtures" / "timeml"


def fixture(name: str) -> tuple[str, str]:
    """A document's text and its tagger output, read byte-exactly."""
    text = (FIXTURES / f"{name}.txt").read_bytes().decode("utf-8")
    tagged = (FIXTURES / f"{name}.tml").read_bytes().decode("utf-8")
    return text, tagged


def spans(dates: tuple[Date, ...]) -> list[tuple[str, str | None, str | None, str | None]]:
    return [(d.text or "", d.type, d.value, d.mod) for d in dates]


def error_of(tagged: str, text: str, name: str = "out.tml") -> str:
    with pytest.raises(ValidationError) as info:
        from_timeml(tagged, text, name=name)
    return str(info.value)


# --------------------------------------------------------------------------- real tool formats


def test_heideltime_standalone_output() -> None:
    """HeidelTime: <?xml?>, DOCTYPE, <TimeML> with a newline each side, text not escaped
    (a bare '&', a '<' that starts no tag, '&amp;' that is literally in the document),
    curly quotes and a flag emoji (astral code points) before later dates."""
    text, tagged = fixture("heideltime")
    dates = from_timeml(tagged, text, name="heideltime.tml")
    for d in dates:
        assert text[d.start : d.end] == d.text
    assert spans(dates) == [
        ("Monday", "DATE", "2021-12-27", None),
        ("Thursday", "DATE", "2021-12-23", None),
        ("early January", "DATE", "2022-01", "START"),
        ("2 hours", "DURATION", "PT2H", None),
        ("a day", "SET", "P1D", None),
        ("50 minutes", "DURATION", "PT50M", None),
        ("last week", "DATE", "2021-W50", None),
    ]
    # code points, not UTF-16 units or bytes: the flag (2 code points) shifts by 2
    assert dates[5].start == text.index("50 minutes")


def test_tempeval3_file() -> None:
    """TempEval-3: <TEXT> inside <TimeML> with DOCID, DCT (its own TIMEX3), TITLE,
    MAKEINSTANCE and TLINK outside it; EVENT and SIGNAL tags inside; &quot; and &amp;;
    a non-consuming empty TIMEX3; newlines around the text that the document lacks."""
    text, tagged = fixture("tempeval3")
    dates = from_timeml(tagged, text)
    assert spans(dates) == [
        ("Thursday", "DATE", "2021-12-23", None),
        ("January 2022", "DATE", "2022-01", None),
    ]
    assert dates[0].start == text.index("Thursday")
    assert dates[1].end == text.index(".\n")


def test_bare_tags_without_wrapper() -> None:
    """No root element at all (SUTime-style inline tags with alt_value, freq, quant),
    escaped '&amp;', and the document's final newline dropped by the tool."""
    text, tagged = fixture("bare")
    dates = from_timeml(tagged, text)
    assert spans(dates) == [
        ("30 December", "DATE", "2021-12-30", None),
        ("20:30 GMT", "TIME", "2021-12-30T20:30", None),
        ("every week", "SET", "P1W", None),
    ]
    assert [d.start for d in dates] == [text.index(d.text or "") for d in dates]


def test_cdata_and_comments() -> None:
    """CDATA content is text; comments and processing instructions are not."""
    text = "a <b> on Monday"
    tagged = (
        "<TimeML><!-- tagged --><?pi x?><![CDATA[a <b>]]> on "
        '<TIMEX3 tid="t1" type="DATE" value="2021-12-27">Monday</TIMEX3></TimeML>'
    )
    assert spans(from_timeml(tagged, text)) == [("Monday", "DATE", "2021-12-27", None)]


def test_document_with_literal_entity_text_escaped_output() -> None:
    """The document holds '&amp;' literally and the tool escaped it to '&amp;amp;':
    the strict XML reading is the right one."""
    text = "AT&amp;T on Monday"
    tagged = (
        '<TimeML>AT&amp;amp;T on <TIMEX3 type="DATE" value="XXXX-WXX-1">Monday</TIMEX3></TimeML>'
    )
    dates = from_timeml(tagged, text)
    assert (dates[0].start, dates[0].end) == (text.index("Monday"), len(text))


def test_attribute_entities_and_single_quotes() -> None:
    """Attribute values in single quotes and with entities are decoded."""
    text = "now"
    tagged = "<TIMEX3 tid='t1' type='DATE' value='PRESENT&#95;REF'>now</TIMEX3>"
    assert spans(from_timeml(tagged, text)) == [("now", "DATE", "PRESENT_REF", None)]


def test_attribute_names_in_upper_case() -> None:
    """GUTime-style tags (as in Stanford's Timex examples): TYPE and VAL instead of type and value."""
    tagged = '<TIMEX3 tid="t1" TYPE="DATE" VAL="PRESENT_REF" temporalFunction="true">today</TIMEX3>'
    assert spans(from_timeml(tagged, "today")) == [("today", "DATE", "PRESENT_REF", None)]


def test_timex_without_attributes() -> None:
    """A TIMEX3 without type or value gives None for both (the scorer then reports them)."""
    assert spans(from_timeml("<TIMEX3>today</TIMEX3>", "today")) == [("today", None, None, None)]


# --------------------------------------------------------------------------- mismatches


def test_mismatch_names_both_positions() -> None:
    """A changed word on line 2: the error gives document offset, line, column and the
    tagged file's line and column, with both texts there."""
    text = "Talks.\nPutin met Biden on Monday."
    tagged = "<TimeML>\nTalks.\nPutin met Bidan on <TIMEX3>Monday</TIMEX3>.\n</TimeML>"
    assert error_of(tagged, text) == (
        "out.tml:3: $: tagged text does not match the document at document offset 20 "
        "(line 2, column 14): different text; tagged text (column 14) has "
        "'an on <TIMEX3>Monday', document has 'en on Monday.' "
        "(expected the document's text, unchanged, with TIMEX3 tags inserted)"
    )


def test_tagged_text_longer_than_document() -> None:
    """The tool added text at the end."""
    message = error_of("on Monday. Extra", "on Monday.")
    assert "at document offset 10 (line 1, column 11): the document ends here" in message
    assert "tagged text (column 11) has ' Extra'" in message


def test_tagged_text_shorter_than_document() -> None:
    """The tool dropped the end of the document."""
    message = error_of("<TimeML>on <TIMEX3>Monday</TIMEX3></TimeML>", "on Monday and Friday.")
    assert "at document offset 9 (line 1, column 10): the tagged text ends here" in message
    assert "document has ' and Friday.'" in message


def test_crlf_is_not_repaired() -> None:
    """A tool that wrote CRLF line ends does not match an LF document: reported, not fixed."""
    message = error_of("a\r\nb <TIMEX3>today</TIMEX3>", "a\nb today")
    assert "at document offset 1 (line 1, column 2): different text" in message


def test_whitespace_inside_text_is_not_ignored() -> None:
    """Only white space at the very start and end may differ; a doubled space inside may not."""
    message = error_of("on  <TIMEX3>Monday</TIMEX3>", "on Monday")
    assert "at document offset 3 (line 1, column 4): different text" in message


def test_leading_whitespace_the_document_has() -> None:
    """The document starts with blank lines the tool stripped: offsets still count them."""
    text = "\n\non Monday"
    dates = from_timeml("on <TIMEX3>Monday</TIMEX3>", text)
    assert (dates[0].start, dates[0].end) == (5, 11)


@pytest.mark.parametrize(
    ("tagged", "expected"),
    [
        (
            "<TIMEX3>a <TIMEX3>b</TIMEX3></TIMEX3>",
            "t.tml:1: $: TIMEX3 inside another TIMEX3 (opened on line 1): '<TIMEX3>' "
            "(expected TIMEX3 tags that do not nest)",
        ),
        (
            'a\n<TIMEX3 tid="t9">b',
            "t.tml:2: $: '<TIMEX3 tid=\"t9\">' is never closed (expected </TIMEX3>)",
        ),
        (
            "a </TIMEX3>b",
            "t.tml:1: $: </TIMEX3> without an opening <TIMEX3> (expected balanced tags)",
        ),
    ],
    ids=["nested", "unclosed", "stray-close"],
)
def test_unbalanced_tags(tagged: str, expected: str) -> None:
    """Nested, unclosed and stray TIMEX3 tags are errors with their line (the document is
    the tagged text without its tags, so only the tags are wrong)."""
    document = re.sub(r"</?TIMEX3[^>]*>", "", tagged)
    assert error_of(tagged, document, "t.tml") == expected


# --------------------------------------------------------------------------- round trip


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, list[Date]]:
    """A text with markup characters, entities-looking text, astral code points, and
    non-overlapping non-empty dates."""
    alphabet = st.sampled_from(list("ab &<>\"'\n\t;#") + ["&amp;", "é", "🇨🇭", "“"])
    text = "".join(draw(st.lists(alphabet, max_size=30)))
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=8))))
    dates = []
    for a, b in zip(cuts[::2], cuts[1::2], strict=False):
        if b > a:
            dates.append(Date(a, b, text[a:b], "DATE", "2021-12-30", None))
    return text, dates


@settings(max_examples=150, deadline=None)
@given(documents())
def test_round_trip(doc: tuple[str, list[Date]]) -> None:
    """from_timeml(to_timeml(text, dates), text) == dates, whatever the text holds."""
    text, dates = doc
    assert list(from_timeml(to_timeml(text, dates, dct="2021-12-30"), text)) == dates


# --------------------------------------------------------------------------- several files, and the CLI


def test_from_timeml_files_reports_every_file() -> None:
    """Problems of every file at once: a file for an unknown document, and a mismatch."""
    from newsgold.convert.timeml import from_timeml_files
    from newsgold.model import Gold

    gold = Gold(
        {
            "a": Document("a", "on Monday", "2021-12-27", "r"),
            "b": Document("b", "on Friday", "2021-12-31", "r"),
        },
        (),
    )
    with pytest.raises(ValidationError) as info:
        from_timeml_files(
            {"a": "on <TIMEX3>Monday</TIMEX3>", "b": "on Fryday", "zz": "x"}, gold, folder="out"
        )
    assert [p.file for p in info.value.problems] == ["out/b.tml", "out/zz.tml"]
    assert info.value.problems[1].message == (
        "no gold document 'zz' (expected files named <doc_id>.tml)"
    )


def test_score_format_timeml_equals_run_cmd(tmp_path: Path, root: Path) -> None:
    """An independent tagger's TimeML folder scored with `newsgold score --format timeml`
    gives the report `newsgold run --cmd` gives for the same tagger (less the run section)."""
    import json
    import shlex
    import subprocess
    import sys

    from click.testing import CliRunner

    from newsgold.cli import main
    from newsgold.runner import write_input
    from newsgold.validate import load_gold

    gold = load_gold(root)
    inp, out = tmp_path / "in", tmp_path / "tml"
    inp.mkdir()
    out.mkdir()
    write_input(inp, gold.docs)
    tagger = FIXTURES / "toy_tagger.py"
    subprocess.run(
        [sys.executable, str(tagger), str(inp), str(out)], check=True, capture_output=True
    )
    scored = CliRunner().invoke(
        main, ["score", str(out), "--format", "timeml", "--json", "-", "--bootstrap", "0",
               "--root", str(root)],
    )  # fmt: skip
    assert scored.exit_code == 0, scored.output
    command = f"{shlex.quote(sys.executable)} {shlex.quote(str(tagger))} {{input}} {{output}}"
    ran = CliRunner().invoke(
        main, ["run", "--cmd", command, "--out", str(tmp_path / "p.jsonl"), "--score", "--json",
               "-", "--bootstrap", "0", "--no-progress", "--root", str(root)],
    )  # fmt: skip
    assert ran.exit_code == 0, ran.output
    report = json.loads(ran.stdout)
    report.pop("run")
    assert json.loads(scored.stdout) == report
    assert report["dates"]["relaxed"]["f1"] > 0
