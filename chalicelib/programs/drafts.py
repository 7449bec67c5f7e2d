"""Keeping the item that lists a person's drafts for a program (``store.applications.DraftsOf``).

A program's page tells a logged-in person whether they can apply now, with the draft they can
go back to (``policy.Standing``). Reading that from the person's applications would take a Query
on top of the program, the profile (prefill) and the session: four calls. Instead the page reads
the program, the person's claims (guard items) and this item in one TransactGetItems.

Every write that makes or ends a draft adds or removes its entry in its own TransactWrite, with
no condition, so it can never be what cancels that transaction. Drafts made before this item
existed are not on it: the page then shows no draft to go back to, until the person makes or
ends one.
"""

from __future__ import annotations

from pynamodb.transactions import TransactWrite

from chalicelib.store.applications import Application, DraftsOf


def drafts_id(program_id: str, registrant_id: str) -> str:
    return f"drafts#{program_id}#{registrant_id}"


def record_draft(writes: TransactWrite, application: Application) -> None:
    """Add a new draft to the person's drafts for its program, in the transaction that makes it."""
    item = DraftsOf(application_id=drafts_id(application.program_id, application.registrant_id))
    writes.update(item, actions=[DraftsOf.entries.add({_entry(application)})])


def forget_draft(writes: TransactWrite, application: Application) -> None:
    """Take a draft off the person's drafts, in the transaction that submits or withdraws it."""
    item = DraftsOf(application_id=drafts_id(application.program_id, application.registrant_id))
    writes.update(item, actions=[DraftsOf.entries.delete({_entry(application)})])


def oldest_draft(item: DraftsOf | None) -> str | None:
    """The id of the person's oldest draft for the program, if any."""
    entries = sorted((item.entries if item is not None else None) or set())
    return entries[0].rsplit("#", 1)[1] if entries else None


def _entry(application: Application) -> str:
    created = application.created_at.isoformat() if application.created_at else ""
    return f"{created}#{application.application_id}"
