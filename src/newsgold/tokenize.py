"""The tokenizer and sentence splitter of the ``tokens`` config (pure functions, no I/O).

The ``tokens`` config of the corpus gives every sentence as tokens with IOB2
tags, so that any token-classification system can be scored on it. The rules
are simple, written down here and in the dataset card, and tested:

Tokens (white space is never part of a token; offsets are code points):

1. Initials with periods are one token: ``A.C.``, ``U.S.``.
2. Numbers keep their inner ``.``, ``,`` and ``:``: ``20:30``, ``100,000``, ``1.5``;
   a plain number is a word (``1990s`` is one token).
3. Words are runs of letters and digits. A period glued to a lowercase run
   joins it (``GENERICO.ru``); a word is cut where a lowercase letter is followed
   by an uppercase one, because broken page formatting glues words together
   (``GENERICO.ruWorldBiden`` → ``GENERICO.ru`` ``World`` ``Biden``).
4. English clitics after an apostrophe (``’s``, ``'s``, ``’t``, ``’re``, ``’ve``,
   ``’ll``, ``’d``, ``’m``) are their own token: ``Russia’s`` → ``Russia`` ``’s``.
5. An ellipsis (``…`` or ``...``) is one token; every other character
   (punctuation, quotation marks, hyphens, dashes, brackets) is a token of its
   own, so ``Russian-American`` → ``Russian`` ``-`` ``American``.
6. Finally, a token is cut at every offset given in ``cuts``. The corpus
   passes the boundaries of every gold entity and date, so that every span
   starts and ends on a token boundary; the card reports how many tokens the
   rules alone would have left straddling a boundary (none in 1.0.0).

Sentences: a sentence ends at a line break; after ``.``, ``!``, ``?`` or an
ellipsis followed by white space (with any closing quotation marks or brackets
glued to it), unless the mark follows an opening bracket (``(…)``) or the
period belongs to a title abbreviation (``Mr.``, ``Dr.``) or a single capital
initial (``J.``); never inside a protected span (a gold entity or date). A "sentence" made only of punctuation (a stray closing
quotation mark after a space) joins the sentence before it on the same line.

>>> [t.text for t in tokenize("Russia’s A.C. met at 20:30, in GENERICO.ruWorld.")]
['Russia', '’s', 'A.C.', 'met', 'at', '20:30', ',', 'in', 'GENERICO.ru', 'World', '.']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "Token",
    "iob2_tags",
    "sentences",
    "split_sentences",
    "straddled_cuts",
    "straddled_tokens",
    "tokenize",
]


@dataclass(frozen=True, order=True)
class Token:
    """A token of a document.

    Attributes:
        start: first code point, inclusive (an offset into the document text).
        end: exclusive end offset.
        text: ``doc_text[start:end]``, never containing white space.
    """

    start: int
    end: int
    text: str


_TOKEN = re.compile(
    r"""
    (?:[^\W\d_]\.){2,}                  # initials: A.C., U.S.
  | \d+(?:[.,:]\d+)+                    # numbers with separators: 20:30, 100,000
  | [’'](?:[sSdDmMtT]|re|ve|ll)(?![^\W_])  # clitics: ’s 't ’re
  | [^\W_]+(?:\.[a-z][^\W_]*)*          # words, with a glued lowercase domain part
  | …|\.\.\.                            # ellipsis
  | \S                                  # any other character
    """,
    re.VERBOSE,
)

_FINAL = frozenset({".", "!", "?", "…", "..."})
_CLOSING = frozenset({"”", '"', "»", "’", "'", ")", "]", "“"})
_ABBREVIATIONS = frozenset(
    {"Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Gen", "Col", "Lt", "Sgt", "Capt", "Sen", "Rep", "Gov"}
)


def _rule_tokens(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for m in _TOKEN.finditer(text):
        start, end = m.span()
        word = m.group()
        # a lowercase letter followed by an uppercase one: words glued together
        cuts = [
            start + k for k in range(1, len(word)) if word[k - 1].islower() and word[k].isupper()
        ]
        for a, b in zip([start, *cuts], [*cuts, end], strict=True):
            out.append((a, b))
    return out


def straddled_cuts(text: str, cuts: Iterable[int]) -> list[int]:
    """The offsets in ``cuts`` that the rules alone place inside a token.

    Args:
        text: the document text.
        cuts: offsets that must be token boundaries.

    Returns:
        The sorted offsets that rule 6 of :func:`tokenize` has to enforce.

    >>> straddled_cuts("NATOland and NATO", [0, 4, 13, 17])
    [4]
    """
    return sorted(straddled_tokens(text, cuts))


def straddled_tokens(text: str, cuts: Iterable[int]) -> dict[int, Token]:
    """The offsets in ``cuts`` that fall inside a token of the rules, with that token.

    A span boundary there cuts a word (``Russia`` in ``Russian``); the rules
    already cut at hyphens, before clitics and where glued words change case
    (``GENERICO.ruWorldBiden``), so those cuts are not listed.

    >>> straddled_tokens("Russian troops", [0, 6])
    {6: Token(start=0, end=7, text='Russian')}
    """
    spans = _rule_tokens(text)
    out: dict[int, Token] = {}
    for c in set(cuts):
        for a, b in spans:
            if a < c < b:
                out[c] = Token(a, b, text[a:b])
                break
    return out


def tokenize(text: str, cuts: Iterable[int] = ()) -> list[Token]:
    """Split a text into tokens by the rules of the module docstring.

    Args:
        text: the document text.
        cuts: offsets that must be token boundaries (rule 6); offsets in white
            space or at a boundary already change nothing.

    Returns:
        Tokens in text order, non-overlapping, covering every non-space character.

    >>> [t.text for t in tokenize("Russian-American talks.")]
    ['Russian', '-', 'American', 'talks', '.']
    >>> [t.text for t in tokenize("NATOland", cuts=[4])]
    ['NATO', 'land']
    """
    wanted = sorted(set(cuts))
    out: list[Token] = []
    k = 0
    for a, b in _rule_tokens(text):
        while k < len(wanted) and wanted[k] <= a:
            k += 1
        inner = []
        j = k
        while j < len(wanted) and wanted[j] < b:
            inner.append(wanted[j])
            j += 1
        for s, e in zip([a, *inner], [*inner, b], strict=True):
            out.append(Token(s, e, text[s:e]))
    return out


def split_sentences(
    text: str, tokens: Sequence[Token], protected: Iterable[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """Group tokens into sentences by the rules of the module docstring.

    Args:
        text: the document text the tokens come from.
        tokens: the document's tokens, from :func:`tokenize`.
        protected: ``(start, end)`` character spans that must stay inside one
            sentence (gold entities and dates).

    Returns:
        ``(first, last)`` token index ranges, half-open, in order, covering every token.

    >>> text = "He left. Mr. Smith came.\\nThen “this. ”"
    >>> t = tokenize(text)
    >>> [" ".join(x.text for x in t[a:b]) for a, b in split_sentences(text, t)]
    ['He left .', 'Mr . Smith came .', 'Then “ this . ”']
    """
    inside: set[int] = set()
    for s, e in protected:
        inside.update(range(s + 1, e))

    def gap(i: int) -> str:
        """What lies between token i-1 and token i."""
        return text[tokens[i - 1].end : tokens[i].start]

    breaks: list[int] = [0]
    n = len(tokens)
    for i in range(1, n):
        if tokens[i].start in inside:
            continue
        g = gap(i)
        if "\n" in g:
            breaks.append(i)
            continue
        if not g:
            continue
        # the sentence-final token, before any closing marks glued to it
        j = i - 1
        while j > breaks[-1] and tokens[j].text in _CLOSING and not gap(j):
            j -= 1
        if tokens[j].text not in _FINAL:
            continue
        if j > 0 and not gap(j) and tokens[j - 1].text in ("(", "["):
            continue  # an elision such as "(…)" inside a sentence
        if tokens[j].text == "." and j > 0 and not gap(j):
            before = tokens[j - 1].text
            if before in _ABBREVIATIONS or (len(before) == 1 and before.isupper()):
                continue
        breaks.append(i)
    ranges = [(a, b) for a, b in zip(breaks, [*breaks[1:], n], strict=True) if a < b]
    # a punctuation-only "sentence" joins the one before it on the same line
    merged: list[tuple[int, int]] = []
    for a, b in ranges:
        only_punct = not any(ch.isalnum() for t in tokens[a:b] for ch in t.text)
        if only_punct and merged and "\n" not in gap(a):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def sentences(text: str, spans: Iterable[tuple[int, int]] = ()) -> list[list[Token]]:
    """The sentences of a text as token lists: the ``tokens`` config's one rule.

    The spans (a document's gold entities and dates) are token boundaries
    (rule 6) and stay inside one sentence.

    Args:
        text: the document text.
        spans: ``(start, end)`` spans to protect and cut at.

    Returns:
        Each sentence's tokens, in text order.

    >>> [[t.text for t in s] for s in sentences("He left. Mr. Smith came.")]
    [['He', 'left', '.'], ['Mr', '.', 'Smith', 'came', '.']]
    """
    protected = list(spans)
    tokens = tokenize(text, sorted({x for span in protected for x in span}))
    return [tokens[a:b] for a, b in split_sentences(text, tokens, protected)]


def iob2_tags(tokens: Sequence[Token], spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """IOB2 tags of tokens for labelled character spans.

    Args:
        tokens: the tokens (of a sentence or a document).
        spans: ``(start, end, label)`` character spans, non-overlapping, each
            starting and ending on a token boundary.

    Returns:
        One tag per token: ``O``, ``B-<label>`` on a span's first token,
        ``I-<label>`` on the others.

    Raises:
        ValueError: when a span's boundary falls inside a token, or a span covers
            no token (the caller turns this into an error naming the document).

    >>> toks = tokenize("US President Joe Biden")
    >>> iob2_tags(toks, [(0, 2, "GPE"), (13, 22, "PER")])
    ['B-GPE', 'O', 'B-PER', 'I-PER']
    """
    tags = ["O"] * len(tokens)
    starts = {t.start: i for i, t in enumerate(tokens)}
    ends = {t.end: i for i, t in enumerate(tokens)}
    for start, end, label in spans:
        if start not in starts or end not in ends or ends[end] < starts[start]:
            raise ValueError(
                f"span [{start}:{end}] {label} does not start and end on token boundaries"
            )
        first, last = starts[start], ends[end]
        for i in range(first, last + 1):
            if tags[i] != "O":
                raise ValueError(f"span [{start}:{end}] {label} overlaps another span")
            tags[i] = ("B-" if i == first else "I-") + label
    return tags
