"""The progress of a team project as text: each annotator's state of each task, then counts."""

from __future__ import annotations

from collections.abc import Sequence

from .client import TaskProgress

#: The states of a task for one annotator, in the order of the counts.
STATES = ("submitted", "draft", "skipped", "missing")


def status_lines(tasks: Sequence[TaskProgress], annotators: Sequence[str]) -> list[str]:
    """The lines `newsgold ls status` prints: a table of tasks × annotators, then the counts.

    Annotators who touched a task but are not in ``annotators`` are added (never hidden).

    >>> t = [TaskProgress(7, "d1", frozenset({"a@x"}), frozenset({"b@x"}), frozenset()),
    ...      TaskProgress(8, "d2", frozenset(), frozenset(), frozenset({"a@x"}))]
    >>> print("\\n".join(status_lines(t, ["a@x", "b@x"])))
    task  doc_id  a@x        b@x
    7     d1      submitted  draft
    8     d2      skipped    missing
    <BLANKLINE>
    annotator  submitted  draft  skipped  missing
    a@x        1          0      1        0
    b@x        0          1      0        1
    """
    seen = {a for t in tasks for a in (*t.submitted, *t.draft, *t.skipped)}
    who = list(dict.fromkeys([*annotators, *sorted(seen - set(annotators))]))
    rows = [["task", "doc_id", *who]]
    rows += [[str(t.task_id), t.doc_id, *(t.state(a) for a in who)] for t in tasks]
    counts = [["annotator", *STATES]]
    for a in who:
        states = [t.state(a) for t in tasks]
        counts.append([a, *(str(states.count(s)) for s in STATES)])
    return [*_aligned(rows), "", *_aligned(counts)]


def _aligned(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
