"""The tokenizer and sentence splitter of the ``tokens`` config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgold.tokenize import iob2_tags, split_sentences, straddled_cuts, tokenize


def words(text: str, cuts: list[int] | None = None) -> list[str]:
    return [t.text for t in tokenize(text, cuts or [])]


def sentences(text: str, protected: list[tuple[int, int]] | None = None) -> list[str]:
    toks = tokenize(text)
    return [
        " ".join(t.text for t in toks[a:b]) for a, b in split_sentences(text, toks, protected or [])
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # glued page title: site name, section and headline in one run of letters
        ("GENERICO.ruWorldBiden said", ["GENERICO.ru", "World", "Biden", "said"]),
        # possessive clitic with a typographic apostrophe, and a straight one
        ("Russia’s Foreign Ministry", ["Russia", "’s", "Foreign", "Ministry"]),
        ("Russia's army", ["Russia", "'s", "army"]),
        ("We don’t spam!", ["We", "don", "’t", "spam", "!"]),
        # hyphenated compound of two names is split (each is an entity)
        ("Russian-American dialogue", ["Russian", "-", "American", "dialogue"]),
        # initials of a byline stay one token; a final period after a word does not
        ("Editor : A.C.", ["Editor", ":", "A.C."]),
        ("the U.S. said.", ["the", "U.S.", "said", "."]),
        # clock times and thousands keep their separators; a decade is one word
        ("around 20:30 GMT", ["around", "20:30", "GMT"]),
        ("nearly 100,000 troops", ["nearly", "100,000", "troops"]),
        ("in the 1990s,", ["in", "the", "1990s", ","]),
        # elision in brackets, curly quotes and dashes are their own tokens
        ("“I am convinced (…) that", ["“", "I", "am", "convinced", "(", "…", ")", "that"]),
        ("Union – particularly", ["Union", "–", "particularly"]),
        # a sentence without a space after its period is not a domain name
        ("it ended.Then", ["it", "ended", ".", "Then"]),
        ("", []),
    ],
)
def test_tokenize_rules(text: str, expected: list[str]) -> None:
    """Each rule of the module docstring, on the cases these texts contain."""
    assert words(text) == expected


def test_cuts_split_tokens_only_inside() -> None:
    """A cut inside a token splits it; a cut at a boundary or in white space changes nothing."""
    assert words("NATOland and NATO", [4]) == ["NATO", "land", "and", "NATO"]
    assert words("NATOland and NATO", [0, 8, 9, 13, 17]) == ["NATOland", "and", "NATO"]
    assert straddled_cuts("NATOland and NATO", [0, 4, 8, 13]) == [4]


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list("aZé1 .,:’'-“”()\n…Ab")), min_size=0, max_size=60),
    cuts=st.lists(st.integers(min_value=0, max_value=60), max_size=8),
)
def test_tokens_partition_non_space_text(text: str, cuts: list[int]) -> None:
    """Property: tokens are sorted, disjoint, never hold white space, cover every other
    character exactly once, and no token straddles a requested cut."""
    toks = tokenize(text, cuts)
    covered: list[int] = []
    prev_end = 0
    for t in toks:
        assert t.text == text[t.start : t.end]
        assert t.start >= prev_end and t.end > t.start
        assert not any(ch.isspace() for ch in t.text)
        covered += range(t.start, t.end)
        prev_end = t.end
    assert covered == [i for i, ch in enumerate(text) if not ch.isspace()]
    for c in cuts:
        assert not any(t.start < c < t.end for t in toks), (text, c)
    # straddled_cuts names exactly the cuts the rules alone would violate
    plain = tokenize(text)
    assert straddled_cuts(text, cuts) == sorted(
        {c for c in cuts if any(t.start < c < t.end for t in plain)}
    )


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab A. ?!\n”“")), max_size=60))
def test_sentences_partition_tokens(text: str) -> None:
    """Property: sentences are consecutive, non-empty token ranges covering every token."""
    toks = tokenize(text)
    ranges = split_sentences(text, toks)
    flat = [i for a, b in ranges for i in range(a, b)]
    assert flat == list(range(len(toks)))
    assert all(a < b for a, b in ranges)


def test_sentence_rules() -> None:
    """Line breaks, final marks with glued closing quotes, abbreviations and initials."""
    assert sentences("Biden spoke.\nPutin spoke") == ["Biden spoke .", "Putin spoke"]
    assert sentences("He said: “We will.” Then he left.") == [
        "He said : “ We will . ”",
        "Then he left .",
    ]
    assert sentences("Mr. Putin and J. Biden met. Talks follow.") == [
        "Mr . Putin and J . Biden met .",
        "Talks follow .",
    ]
    # the elision "(…)" inside a quote does not end the sentence
    assert sentences("“I am convinced (…) that we will,” Putin wrote.") == [
        "“ I am convinced ( … ) that we will , ” Putin wrote ."
    ]


def test_stray_closing_mark_joins_previous_sentence() -> None:
    """A closing mark after a space (`turn out. ”`) is not a sentence of its own."""
    assert sentences("things will turn out. ”\nHe added") == [
        "things will turn out . ”",
        "He added",
    ]
    assert sentences("in a statement. . “Indeed, it is”") == [
        "in a statement . .",
        "“ Indeed , it is ”",
    ]


def test_protected_span_is_never_split() -> None:
    """A gold span across a would-be boundary (`St. Petersburg`) keeps its sentence whole."""
    text = "They met in Washington. D. C. Talks ended."
    assert len(sentences(text)) == 2
    assert sentences(text, protected=[(12, 29)]) == [
        "They met in Washington . D . C . Talks ended ."
    ]


def test_iob2_tags_and_misaligned_span() -> None:
    """B- on the first token, I- on the rest; a boundary inside a token is an error."""
    toks = tokenize("Russian Foreign Ministry spokeswoman")
    assert iob2_tags(toks, [(0, 24, "ORG")]) == ["B-ORG", "I-ORG", "I-ORG", "O"]
    with pytest.raises(ValueError, match=r"span \[0:3\] ORG does not start and end on token"):
        iob2_tags(toks, [(0, 3, "ORG")])
    with pytest.raises(ValueError, match="overlaps another span"):
        iob2_tags(toks, [(0, 7, "NORP"), (0, 24, "ORG")])


def test_gold_boundaries_after_cuts(root: Path) -> None:
    """Every gold entity and date of annotations/ starts and ends on a token boundary
    (read from the JSON files, not through the library's loader)."""
    for path in sorted((root / "annotations").glob("*.json")):
        if path.name == "kb.json":
            continue
        obj = json.loads(path.read_text(encoding="utf-8"))
        text = (root / "seeds" / f"{obj['doc_id']}.txt").read_bytes().decode("utf-8")
        spans = [(s["start"], s["end"]) for s in obj["entities"] + obj["dates"]]
        toks = tokenize(text, [x for s in spans for x in s])
        starts = {t.start for t in toks}
        ends = {t.end for t in toks}
        for s, e in spans:
            assert s in starts and e in ends, (path.name, s, e, text[s:e])
