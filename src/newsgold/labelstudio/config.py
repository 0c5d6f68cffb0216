"""The Label Studio labeling config, generated from newsgold's label sets, and the names of its controls."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import quoteattr

from ..model import DATE_MODS, DATE_TYPES, ENTITY_LABELS, QUOTE_KINDS, KBEntry

#: Names of the control tags in the generated config (the ``from_name`` of results).
ENTITY, KB_ID, DATE, DATE_VALUE, DATE_MOD = "entity", "kb_id", "date", "date_value", "date_mod"
QUOTE, QUOTE_KIND, SPEAKER_ID, CUE = "quote", "quote_kind", "speaker_id", "cue"
#: Per-region text area of entities and dates: accepted alternative extents as
#: ``start-end`` code-point pairs separated by spaces (``118-133 120-126``).
ALTERNATIVES = "alternatives"
#: Per-region text area of entities: a kb_id the annotator proposes because the KB lacks it.
NEW_KB_ID = "new_kb_id"
#: Document-level text areas: an annotator's own document creation time and its reason.
DCT, DCT_REASON = "dct", "dct_reason"
#: The object tag all regions live on (the ``to_name`` of results).
TEXT = "text"
QUOTE_LABEL, CUE_LABEL = "QUOTE", "CUE"
SPEAKER_REL, CUE_REL = "speaker", "cue"
#: Keys of a task's ``data``: the document's fields plus two display-only helpers.
DATA_KEYS = ("doc_id", "text", "text_sha256", "dct", "dct_reason", "header", "kb_help")

_COLORS = {
    "PER": "#e6194b",
    "ORG": "#3cb44b",
    "GPE": "#4363d8",
    "LOC": "#f58231",
    "NORP": "#911eb4",
    "DATE": "#008080",
    "TIME": "#469990",
    "DURATION": "#9a6324",
    "SET": "#808000",
    QUOTE_LABEL: "#f0c808",
    CUE_LABEL: "#a9a9a9",
}

_TIMEX_HINT = (
    "TIMEX3 value: DATE 2021-12-30, 2022-01, 2021-W51, 199, PAST_REF; "
    "TIME 2021-12-30T20:30, 2021-12-30TEV; DURATION PT50M, P1M; SET P1Y"
)


#: Two columns: the document, and beside it the selected region's fields, kept in view
#: (sticky) while the document scrolls.
_STYLE = (
    ".htx-text { white-space: pre-wrap; }"
    " .newsgold-columns { display: flex; align-items: flex-start; gap: 16px; }"
    " .newsgold-document { flex: 1 1 auto; min-width: 0; }"
    " .newsgold-fields { flex: 0 0 330px; position: sticky; top: 0; max-height: 100vh;"
    " overflow-y: auto; padding: 0 8px; border-left: 2px solid #d0d0d0; }"
    " .newsgold-fields h4 { font-size: 14px; line-height: 1.35; margin: 10px 0 4px; }"
)

_ALTERNATIVES_HINT = (
    "other accepted extents as start-end code-point offsets, separated by spaces: 118-133 120-126"
)


def kb_choice_label(entry: KBEntry) -> str:
    """What the ``kb_id`` list shows for a KB entry (searched by any part of it).

    >>> kb_choice_label(KBEntry("vladimir-putin", "Vladimir Putin", "PER", ("Putin",)))
    'Vladimir Putin · PER · vladimir-putin'
    """
    return f"{entry.name} · {entry.label} · {entry.kb_id}"


def _kb_list(name: str, when: str, placeholder: str, kb: Sequence[KBEntry]) -> list[str]:
    """A per-region, searchable, single-pick list of the KB (a ``Taxonomy``; stores ``[[kb_id]]``)."""
    out = [
        f'    <Taxonomy name="{name}" toName="{TEXT}" perRegion="true" visibleWhen="region-selected"'
        f' whenTagName="{when}" maxUsages="1" minWidth="300px" placeholder={quoteattr(placeholder)}>'
    ]
    for entry in sorted(kb, key=lambda k: (k.name.casefold(), k.kb_id)):
        out.append(
            f"      <Choice value={quoteattr(kb_choice_label(entry))}"
            f" alias={quoteattr(entry.kb_id)}/>"
        )
    out.append("    </Taxonomy>")
    return out


def labeling_config(kb: Sequence[KBEntry] = ()) -> str:
    """The Label Studio labeling config (XML) generated from newsgold's label sets and the KB.

    The document is on the left; beside it, a panel that stays in view while
    the document scrolls shows the fields of the selected region: an entity's
    ``kb_id``, picked from a searchable list of the KB (or a proposed
    ``new_kb_id``, typed) and its accepted ``alternatives``; a date's value
    and mod; a quote's kind and, only if the speaker has no mention in the
    text, ``speaker_id`` (the same KB list). Speaker and cue are relations
    drawn from a quote to an entity or a cue region; their label may be left
    out (an entity is the speaker, a cue region the cue).

    Args:
        kb: the knowledge base listed for ``kb_id`` and ``speaker_id``
            (``annotations/kb.json``; empty: the lists are empty).

    Returns:
        The XML text, ending with a newline; ``labelstudio/config.xml`` holds it
        for the project's KB.

    >>> cfg = labeling_config([KBEntry("moscow", "Moscow", "GPE", ("Moscow",))])
    >>> cfg.startswith("<View>") and '<Label value="NORP"' in cfg and 'name="date_mod"' in cfg
    True
    >>> '<Choice value="Moscow · GPE · moscow" alias="moscow"/>' in cfg
    True
    """
    # entity and date regions, whichever control labeled them (whenTagName takes one name)
    span_labels = ",".join((*ENTITY_LABELS, *DATE_TYPES))

    def labels(name: str, values: Iterable[str], hint: str) -> list[str]:
        out = [f'  <Labels name="{name}" toName="{TEXT}" showInline="true">']
        out.append(f"    <!-- {hint} -->")
        for value in values:
            out.append(f'    <Label value="{value}" background="{_COLORS[value]}"/>')
        out.append("  </Labels>")
        return out

    def text_area(name: str, when: str, placeholder: str, **extra: str) -> str:
        attrs = "".join(f" {k}={quoteattr(v)}" for k, v in extra.items())
        return (
            f'    <TextArea name="{name}" toName="{TEXT}" perRegion="true" visibleWhen="region-selected"'
            f'{when}{attrs} maxSubmissions="1" editable="true" rows="1"'
            f" placeholder={quoteattr(placeholder)}/>"
        )

    lines = [
        "<View>",
        "  <!-- generated by `newsgold ls config` from newsgold's label sets and the KB;"
        " do not edit by hand -->",
        f"  <Style>{_STYLE}</Style>",
        '  <Header value="$header" size="5"/>',
        *labels(ENTITY, ENTITY_LABELS, "named mentions; each needs a kb_id"),
        *labels(DATE, DATE_TYPES, "temporal expressions: the label is the TIMEX3 type"),
        *labels(
            QUOTE,
            (QUOTE_LABEL,),
            "the content between the quotation marks, marks excluded; or, for an indirect"
            " quote, the reported clause (it may lie inside another quote)",
        ),
        *labels(CUE, (CUE_LABEL,), "the reporting verb or phrase; link it from the quote"),
        '  <View className="newsgold-columns">',
        '    <View className="newsgold-document">',
        f'      <Text name="{TEXT}" value="$text" granularity="symbol"/>',
        "    </View>",
        '    <View className="newsgold-fields">',
        '      <View visibleWhen="no-region-selected">',
        '        <Header value="Select a region: its fields appear here" size="6"/>',
        "      </View>",
        f'    <View visibleWhen="region-selected" whenTagName="{ENTITY}">',
        '      <Header value="kb_id: pick the entity (type to search)" size="6"/>',
        *_kb_list(KB_ID, ENTITY, "search the KB: name, label or kb_id", kb),
        '      <Header value="…or, if it is not in the KB, propose a new kb_id" size="6"/>',
        text_area(
            NEW_KB_ID,
            f' whenTagName="{ENTITY}"',
            "new-kb-id (lower case, hyphens)",
        ),
        "    </View>",
        f'    <View visibleWhen="region-selected" whenTagName="{DATE}">',
        '      <Header value="TIMEX3 value (consistent with the type) and optional mod" size="6"/>',
        text_area(DATE_VALUE, f' whenTagName="{DATE}"', _TIMEX_HINT, required="true"),
        f'      <Choices name="{DATE_MOD}" toName="{TEXT}" perRegion="true" visibleWhen="region-selected"'
        f' whenTagName="{DATE}" choice="single" layout="inline">',
        *(f'        <Choice value="{mod}"/>' for mod in DATE_MODS),
        "      </Choices>",
        "    </View>",
        f'    <View visibleWhen="region-selected" whenLabelValue="{span_labels}">',
        '      <Header value="Accepted alternative extents (optional): start-end offsets of'
        ' the same mention with another boundary, e.g. with the article" size="6"/>',
        text_area(ALTERNATIVES, f' whenLabelValue="{span_labels}"', _ALTERNATIVES_HINT),
        "    </View>",
        f'    <View visibleWhen="region-selected" whenTagName="{QUOTE}">',
        '      <Header value="Quote kind" size="6"/>',
        f'      <Choices name="{QUOTE_KIND}" toName="{TEXT}" perRegion="true" visibleWhen="region-selected"'
        f' whenTagName="{QUOTE}" choice="single" required="true" layout="inline">',
        *(f'        <Choice value="{kind}"/>' for kind in QUOTE_KINDS),
        "      </Choices>",
        '      <Header value="Speaker and cue: with the quote selected, press Alt+R (or the'
        " link button) and click the speaker's name, then again for the cue. Only if the"
        ' text never names the speaker, pick them here:" size="6"/>',
        *_kb_list(SPEAKER_ID, QUOTE, "speaker not named in the text", kb),
        "    </View>",
        "    </View>",
        "  </View>",
        "  <Relations>",
        f'    <Relation value="{SPEAKER_REL}"/>',
        f'    <Relation value="{CUE_REL}"/>',
        "  </Relations>",
        '  <Header value="Document creation time: fill in only if the one in the header is wrong"'
        ' size="6"/>',
        f'  <TextArea name="{DCT}" toName="{TEXT}" maxSubmissions="1" editable="true" rows="1"'
        ' placeholder="YYYY-MM-DD (empty: the header\'s)"/>',
        f'  <TextArea name="{DCT_REASON}" toName="{TEXT}" maxSubmissions="1" editable="true"'
        ' rows="1" placeholder="the words of the text that justify it"/>',
        "</View>",
    ]
    return _indented(lines)


def _indented(lines: Sequence[str]) -> str:
    """The XML lines (one tag or comment each) indented by two spaces per level of nesting."""
    out, depth = [], 0
    for line in (x.strip() for x in lines):
        if line.startswith("</"):
            depth -= 1
        out.append("  " * depth + line)
        opened = re.match(r"<([A-Za-z]+)", line)
        if opened and not line.endswith("/>") and f"</{opened[1]}>" not in line:
            depth += 1
    return "\n".join(out) + "\n"
