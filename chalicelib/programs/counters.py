"""How many of a program's applications are in each status, kept as they move (O(1) to read).

Every write that creates an application or moves it to another status adds to one of the
program's ``COUNTER_SHARDS`` counter items in its own TransactWrite (``count_move``): the status
left loses one, the status reached gains one. The shard is picked from the application id, so
applicants of one program spread over many items and rarely meet in a transaction. ``counts``
reads every shard in one BatchGetItem, whatever the number of applications.

Counted as the reviewers' lists and the counts route have always counted them: drafts, and every
status a submitted application reaches; a draft given up leaves the drafts and is counted nowhere.
Applications stored before the counters existed are counted once by
``python -m infra.migrations.opening_day``.
"""

from __future__ import annotations

from pynamodb.transactions import TransactWrite

from chalicelib.programs.states import ApplicationStatus
from chalicelib.store.applications import ApplicationCounter, counter_id, counter_ids

COUNTED = tuple(status.value for status in ApplicationStatus)


def count_move(writes: TransactWrite, program_id: str, application_id: str, source: str | None, target: str | None) -> None:
    """Add to ``writes``: one application of the program left ``source`` (None: it is new) for
    ``target`` (None: counted nowhere from now on, a draft given up)."""
    actions = []
    if source is not None and source != target:
        actions.append(getattr(ApplicationCounter, source).add(-1))
    if target is not None and source != target:
        actions.append(getattr(ApplicationCounter, target).add(1))
    if actions:
        writes.update(ApplicationCounter(application_id=counter_id(program_id, application_id)), actions=actions)


def counts(program_id: str) -> dict[str, int]:
    """Applications per status: the sum of the program's counter items (one BatchGetItem)."""
    totals = dict.fromkeys(COUNTED, 0)
    for item in ApplicationCounter.batch_get(counter_ids(program_id)):
        for status in COUNTED:
            totals[status] += int(getattr(item, status) or 0)
    return {status: max(total, 0) for status, total in totals.items()}
