"""`newsgold audit`: hand-made gold and three toy systems whose audit items are known exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgold.audit import AuditItem, System, audit, label_studio_tasks, to_html, to_markdown
from newsgold.cli import main
from newsgold.errors import UsageError
from newsgold.labelstudio import from_task
from newsgold.model import Date, Document, Entity, Gold, Prediction, Quote, Span

TEXT = (
    "Russian-American talks: the Kremlin said on Thursday that Moscow and Biden met "
    "at the White House, “a good sign”. Business News"
)


def at(surface: str, after: str = "") -> tuple[int, int]:
    """Offsets of ``surface`` (its first occurrence after ``after``), computed, never counted."""
    start = TEXT.index(surface, TEXT.index(after) + len(after) if after else 0)
    return start, start + len(surface)


def ent(surface: str, label: str, **kw: object) -> Entity:
    s, e = at(surface)
    return Entity(s, e, surface, label, **kw)  # type: ignore[arg-type]


RUSSIAN, AMERICAN, COMPOUND = at("Russian"), at("American"), at("Russian-American")
KREMLIN, THE_KREMLIN = at("Kremlin"), at("the Kremlin")
WH, THE_WH = at("White House"), at("the White House")
THURSDAY, MOSCOW, BIDEN, NEWS = at("Thursday"), at("Moscow"), at("Biden"), at("Business News")
QUOTE = at("a good sign")

GOLD = Gold(
    {
        "d": Document(
            "d",
            TEXT,
            "2021-12-30",
            "r",
            entities=(
                ent("Russian", "NORP", kb_id="russian"),
                ent("American", "NORP", kb_id="american"),
                ent(
                    "Kremlin",
                    "ORG",
                    kb_id="kremlin",
                    alternatives=(Span(*THE_KREMLIN, "the Kremlin"),),
                ),
                ent("Moscow", "GPE", kb_id="moscow"),
                ent("Biden", "PER", kb_id="joe-biden"),
                ent("White House", "ORG", kb_id="white-house"),
            ),
            dates=(Date(*THURSDAY, "Thursday", "DATE", "2021-12-30"),),
            quotes=(Quote(*QUOTE, "a good sign", "partial", None),),
        )
    },
    (),
)


def E(span: tuple[int, int], label: str) -> Entity:
    return Entity(span[0], span[1], label=label)


# A and B agree on every contradiction; C agrees with them on the compound only.
A = System(
    "a",
    "newsgold",
    ("entities", "dates", "quotes"),
    {
        "d": Prediction(
            "d",
            entities=(
                E(COMPOUND, "NORP"),
                E(THE_KREMLIN, "ORG"),
                E(MOSCOW, "ORG"),  # C says LOC: two systems disagreeing differently
                E(BIDEN, "PER"),
                E(WH, "LOC"),
                E(NEWS, "ORG"),
            ),
            dates=(Date(*THURSDAY, type="DATE", value="2021-12-31"),),
            quotes=(Quote(*QUOTE, kind="direct"),),
        )
    },
)
B = System(  # OntoNotes labels: read through the projection (PERSON → PER, FAC → LOC, DATE → a date)
    "b",
    "ontonotes",
    ("entities", "dates", "quotes"),
    {
        "d": Prediction(
            "d",
            entities=(
                E(COMPOUND, "NORP"),
                E(THE_KREMLIN, "ORG"),
                E(THURSDAY, "DATE"),  # a date without value: no reading of the value
                E(MOSCOW, "GPE"),
                E(BIDEN, "PERSON"),
                E(WH, "FAC"),
                E(NEWS, "ORG"),
            ),
            dates=(),
            quotes=(Quote(*QUOTE, kind="direct"),),
        )
    },
)
C = System(  # predicts no quotes
    "c",
    "newsgold",
    ("entities", "dates"),
    {
        "d": Prediction(
            "d",
            entities=(
                E(COMPOUND, "NORP"),
                E(KREMLIN, "ORG"),
                E(MOSCOW, "LOC"),
                E(at("Biden met"), "PER"),  # only one system with these boundaries
                E(WH, "ORG"),
                E(NEWS, "PER"),  # same span as A and B, another label
            ),
            dates=(Date(*THURSDAY, type="DATE", value="2021-12-31"),),
        )
    },
)
SYSTEMS = [A, B, C]


def key(x: AuditItem) -> tuple[object, ...]:
    return (x.layer, x.kind, x.aspect, (x.start, x.end), x.shared, x.systems)


def test_k2_items_exactly() -> None:
    items = audit(GOLD, SYSTEMS, k=2)
    assert [key(x) for x in items] == [
        ("entities", "missed", None, RUSSIAN, None, ("a", "b", "c")),
        ("entities", "other-reading", "boundaries", AMERICAN, "[0:16]", ("a", "b", "c")),
        ("entities", "other-reading", "boundaries", KREMLIN, "[24:35]", ("a", "b")),
        ("dates", "other-reading", "value", THURSDAY, "2021-12-31", ("a", "c")),
        ("entities", "other-reading", "label", WH, "LOC", ("a", "b")),  # FAC read as LOC
        ("quotes", "other-reading", "label", QUOTE, "direct", ("a", "b")),
        (
            "entities",
            "absent",
            None,
            NEWS,
            f"[{NEWS[0]}:{NEWS[1]}] “Business News” ORG",
            ("a", "b"),
        ),
    ]
    assert THE_KREMLIN == (24, 35) and COMPOUND == (0, 16)
    missed, american, kremlin = items[0], items[1], items[2]
    # every item carries the text, the gold reading and the systems' reading
    assert missed.text == "Russian" and missed.gold is not None and missed.gold.label == "NORP"
    assert [(r.start, r.end, r.label, r.systems) for r in missed.readings] == [
        (0, 16, "NORP", ("a", "b", "c"))
    ]
    assert missed.readings[0].text == "Russian-American"
    assert american.text == "American" and not american.accepted
    assert kremlin.accepted and "accepted alternative" in kremlin.contradiction
    assert items[-1].gold is None and items[-1].text == "Business News"


def test_k3_items_exactly() -> None:
    """Only what all three contradict; quotes (two systems predict them) cannot reach k=3."""
    assert [key(x) for x in audit(GOLD, SYSTEMS, k=3)] == [
        ("entities", "missed", None, RUSSIAN, None, ("a", "b", "c")),
        ("entities", "other-reading", "boundaries", AMERICAN, "[0:16]", ("a", "b", "c")),
    ]


def test_one_system_or_different_readings_give_no_item() -> None:
    items = audit(GOLD, SYSTEMS, k=2)
    spans = {(x.start, x.end) for x in items}
    assert MOSCOW not in spans  # A ORG, C LOC: two systems disagreeing differently
    assert BIDEN not in spans  # only C has other boundaries
    assert not any(x.kind == "absent" and x.shared and x.shared.endswith("PER") for x in items)
    # with k=1 each lone disagreement is an item
    lone = audit(GOLD, SYSTEMS, k=1)
    assert {(x.start, x.end) for x in lone} >= {MOSCOW, BIDEN}
    assert sum(1 for x in lone if (x.start, x.end) == MOSCOW and x.aspect == "label") == 2


@pytest.mark.parametrize("k", [0, 4, -1])
def test_bad_k_is_refused(k: int) -> None:
    with pytest.raises(UsageError, match=r"-k must be between 1 and 3"):
        audit(GOLD, SYSTEMS, k=k)


def test_renderings_escape_everything() -> None:
    evil = "<script>alert(1)</script>"
    text = f"{evil} Kremlin"
    s, e = text.index("Kremlin"), len(text)
    gold = Gold(
        {"d": Document("d", text, "2021-12-30", "r", entities=(Entity(s, e, "Kremlin", "ORG"),))},
        (),
    )
    systems = [
        System(
            name, "newsgold", ("entities",), {"d": Prediction("d", (Entity(0, 8, label="ORG"),))}
        )
        for name in (evil, "b")
    ]
    items = audit(gold, systems, k=2)
    assert [x.kind for x in items] == ["absent"] and items[0].systems == (evil, "b")
    page = to_html(items, systems, 2)
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Content-Security-Policy" in page and "<link" not in page and "src=" not in page
    md = to_markdown(items, systems, 2)
    assert "<script" not in md and "&lt;script&gt;" in md


def test_label_studio_tasks_reuse_to_task() -> None:
    items = audit(GOLD, SYSTEMS, k=2)
    (task,) = label_studio_tasks(GOLD, SYSTEMS, items)
    assert task["data"]["doc_id"] == "d"
    assert [p["model_version"] for p in task["predictions"]] == ["a", "b", "c"]
    # B's OntoNotes labels are shown in newsgold's terms (FAC → LOC, PERSON → PER)
    labels_b = {
        tuple(r["value"]["labels"])
        for r in task["predictions"][1]["result"]
        if r.get("from_name") == "entity"
    }
    assert ("LOC",) in labels_b and ("PER",) in labels_b and ("FAC",) not in labels_b
    # Label Studio's own reading of the task gives the systems' projected predictions back
    back = from_task(task)
    assert [p.model_version for p in back.predictions] == ["a", "b", "c"]
    assert back.annotations[0].document == GOLD.docs["d"]


# --------------------------------------------------------------------------- the command


def test_cli_on_the_repository(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "audit"
    ls = tmp_path / "tasks.json"
    result = CliRunner().invoke(
        main,
        ["audit", "-k", "2", "--out", str(out), "--label-studio", str(ls), "--root", str(root)],
    )
    assert result.exit_code == 0, result.output
    md = (out / "AUDIT.md").read_text(encoding="utf-8")
    page = (out / "audit.html").read_text(encoding="utf-8")
    assert md.startswith("# Audit of the gold against the bundled systems")
    assert "| same other reading |" in md and "spacy-sm" in md
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    tasks = json.loads(ls.read_text(encoding="utf-8"))
    ids = {t["data"]["doc_id"] for t in tasks}
    assert ids and all(f"## {d}".replace("_", "\\_") in md for d in ids)
    for task in tasks:
        versions = [p["model_version"] for p in task["predictions"]]
        assert versions == ["dateparser", "heideltime", "recognizers", "rules", "spacy-sm"]
    # the committed queue is the current one
    committed = root / "eval" / "audit" / "AUDIT.md"
    assert committed.read_text(encoding="utf-8") == md, "eval/audit is stale: run newsgold audit"


@pytest.mark.parametrize("k", ["0", "6"])
def test_cli_bad_k_is_one_line(root: Path, tmp_path: Path, k: str) -> None:
    result = CliRunner().invoke(
        main, ["audit", "-k", k, "--out", str(tmp_path / "a"), "--root", str(root)]
    )
    assert result.exit_code == 1
    assert result.stderr == f"error: -k must be between 1 and 5, the number of systems (got {k})\n"
    assert not (tmp_path / "a").exists()
