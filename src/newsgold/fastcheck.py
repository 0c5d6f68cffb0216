"""Removed in newsgold 0.2.0: the one prediction check is :mod:`newsgold.predcheck`.

``prediction_ok(obj)`` is ``not newsgold.predcheck.record_problems(obj, source, line, docs, labels)``
for one record, and :func:`newsgold.predcheck.batch_ok` for a batch.
"""

raise ImportError(
    "newsgold.fastcheck was removed in newsgold 0.2.0: the one prediction check is "
    "newsgold.predcheck (record_problems for one record, batch_ok for a batch)"
)
