"""What the ministry's systems receive: an outbox event made into a Standard Webhooks body
``{"type", "timestamp", "data"}`` that a registry can act on, the same for webhooks and the pull feed.

The outbox keeps ids and codes only (DESIGN.md section 11); the personal data a registry needs
(the enrolled person's identity, details, household, answers and documents) is read when the
payload is built, so a payload built again (a retry, a replay, a feed read later) carries the
person's data as it is then, and fresh short-lived document links. Events integrations do not
get (internal ones, review steps, messages) build ``None``. Each public type has a versioned
JSON Schema in ``payload_schemas/`` (docs/integration-payloads.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from chalicelib.documents.service import documents_of
from chalicelib.errors import NotFound
from chalicelib.events.outbox import EventType
from chalicelib.forms.service import published_form
from chalicelib.observability import logger
from chalicelib.person.submissions import DEFAULT_LOCALE, label_of, leaf_answers, shown_as
from chalicelib.programs.service import applications_of, describe, document_members, submitted_application
from chalicelib.registrants.household import household_of
from chalicelib.registrants.records import registrant_or_404
from chalicelib.store.events import OutboxEvent
from chalicelib.store.pagination import MAX_LIMIT
from chalicelib.store.registrants import Registrant

SCHEMA_VERSION = 1
SCHEMA_DIR = Path(__file__).parent / "payload_schemas"

APPLICATION_SUBMITTED = "application.submitted"
APPLICATION_DECIDED = "application.decided"
APPLICATION_ENROLLED = "application.enrolled"
APPLICATION_WITHDRAWN = "application.withdrawn"
DETAILS_CHANGED = "registrant.details_changed"
CONSENT_WITHDRAWN = "consent.withdrawn"
HOUSEHOLD_CHANGED = "household.changed"

# The public types, in the order the docs and the OpenAPI document list them.
TYPES = (APPLICATION_SUBMITTED, APPLICATION_DECIDED, APPLICATION_ENROLLED, APPLICATION_WITHDRAWN, DETAILS_CHANGED, CONSENT_WITHDRAWN, HOUSEHOLD_CHANGED)

# The outbox's event type -> the public type it is delivered as. Anything else stays inside.
PUBLIC_TYPES: dict[str, str] = {
    EventType.APPLICATION_SUBMITTED: APPLICATION_SUBMITTED,
    EventType.APPLICATION_APPROVED: APPLICATION_DECIDED,
    EventType.APPLICATION_REJECTED: APPLICATION_DECIDED,
    EventType.APPLICATION_ENROLLED: APPLICATION_ENROLLED,
    EventType.APPLICATION_WITHDRAWN: APPLICATION_WITHDRAWN,
    EventType.REGISTRANT_DETAILS_CHANGED: DETAILS_CHANGED,
    # A reviewer's approval of a change request changes a verified field (a rejection builds None).
    EventType.CHANGE_REQUEST_DECIDED: DETAILS_CHANGED,
    EventType.CONSENT_WITHDRAWN: CONSENT_WITHDRAWN,
    EventType.HOUSEHOLD_CHANGED: HOUSEHOLD_CHANGED,
}

# The language of the form's labels in ``answers`` (the raw values are there too).
LABEL_LOCALE = DEFAULT_LOCALE


def public_type(event_type: str) -> str | None:
    """The public type an outbox event is delivered as, or None when integrations do not get it
    (a subscription filters on these names)."""
    return PUBLIC_TYPES.get(event_type)


def build(event: OutboxEvent, *, now: datetime) -> dict[str, Any] | None:
    """The Standard Webhooks body of ``event``, or None when integrations do not get it (or what it
    was about no longer exists). ``now`` is when the payload (and its document links) is made."""
    kind = public_type(event.type)
    if kind is None:
        return None
    try:
        data = _BUILDERS[kind](event, now)
    except NotFound:
        logger.warning("payload_subject_missing", extra={"event_id": event.event_id, "type": event.type})
        return None
    if data is None:
        return None
    return {"type": kind, "timestamp": _iso(event.occurred_at), "data": {"schema_version": SCHEMA_VERSION, "event_id": event.event_id, **data}}


@cache
def schemas() -> dict[str, dict[str, Any]]:
    """{public type: its JSON Schema (the whole body)}, read once per process."""
    return {kind: json.loads((SCHEMA_DIR / f"{kind}.v{SCHEMA_VERSION}.json").read_text(encoding="utf-8")) for kind in TYPES}


# --- one builder per public type ---------------------------------------------------------------


def _submitted(event: OutboxEvent, now: datetime) -> dict[str, Any]:
    application = submitted_application(str(event.application_id))
    return {
        "registrant_id": event.registrant_id,
        "application": _application_ref(event, application.submitted_at),
        "channel": application.channel,
        "form": {"form_id": application.form_id, "version": _int(application.form_version)},
    }


def _decided(event: OutboxEvent, now: datetime) -> dict[str, Any]:
    decision = "approved" if event.type == EventType.APPLICATION_APPROVED else "rejected"
    application = submitted_application(str(event.application_id))
    entry = _last_entry_to(application.history or [], decision)
    return {
        "registrant_id": event.registrant_id,
        "application": _application_ref(event, application.submitted_at),
        "decision": decision,
        "reason": entry.get("reason"),
        "decided_at": entry.get("at") or _iso(event.occurred_at),
        "decided_by_role": event.actor_role,
    }


def _withdrawn(event: OutboxEvent, now: datetime) -> dict[str, Any]:
    application = submitted_application(str(event.application_id))
    entry = _last_entry_to(application.history or [], "withdrawn")
    return {
        "registrant_id": event.registrant_id,
        "application": _application_ref(event, application.submitted_at),
        "withdrawn_at": entry.get("at") or _iso(event.occurred_at),
        "withdrawn_by_role": event.actor_role,
    }


def _enrolled(event: OutboxEvent, now: datetime) -> dict[str, Any]:
    application = submitted_application(str(event.application_id))
    registrant = registrant_or_404(event.registrant_id)
    described = describe(application)
    members = document_members(application)
    documents = [
        _document(d, members.get(d["document_id"]))
        for d in documents_of(event.registrant_id)
        if d.get("application_id") == application.application_id and d.get("download")
    ]
    definition = _form_definition(application.form_id, application.form_version)
    answers = application.answers or {}
    return {
        "registrant_id": event.registrant_id,
        "application": {**_application_ref(event, application.submitted_at), "enrolled_at": _iso(application.enrolled_at)},
        "generated_at": _iso(now),
        "program": {"program_id": application.program_id, "name": application.program_name or {}},
        "person": _person(registrant),
        "household": [_member(m) for m in household_of(event.registrant_id)],
        "form": {"form_id": application.form_id, "version": _int(application.form_version)},
        "answers": answers,
        "labelled_answers": [
            {
                "pointer": pointer,
                "label": label_of(definition, pointer, LABEL_LOCALE),
                "value": value,
                "shown_as": shown_as(definition, pointer, value, LABEL_LOCALE),
            }
            for pointer, value in leaf_answers(answers)
        ],
        "group_members": [
            {"group": m["group"], "index": m["index"], "label": m.get("label"), "answers": m.get("answers") or {}} for m in described.get("members") or []
        ],
        "documents": documents,
    }


def _details_changed(event: OutboxEvent, now: datetime) -> dict[str, Any] | None:
    changed, reasons = _changed_fields(event)
    if not changed:
        return None
    applications = _submitted_applications(event.registrant_id)
    if not applications:
        return None  # nobody outside the portal holds this person: nothing to tell
    registrant = registrant_or_404(event.registrant_id)
    profile = registrant.profile or {}
    return {
        "registrant_id": event.registrant_id,
        "identity": _identity(registrant),
        "changed_fields": changed,
        "reasons": reasons,
        # The changed fields as they are now; a field removed (consent withdrawn) is null.
        "details": {name: _detail(profile.get(name)) for name in changed},
        "applications": applications,
    }


def _changed_fields(event: OutboxEvent) -> tuple[list[str], list[str]]:
    """(the fields that changed, why) from a details event or an approved change request."""
    data = event.data or {}
    if event.type == EventType.CHANGE_REQUEST_DECIDED:
        approved = data.get("decision") == "approved" and data.get("field")
        return ([str(data["field"])], ["change_request_approved"]) if approved else ([], [])
    return sorted(str(f) for f in data.get("fields") or []), sorted(str(r) for r in data.get("reasons") or [])


def _consent_withdrawn(event: OutboxEvent, now: datetime) -> dict[str, Any] | None:
    applications = _submitted_applications(event.registrant_id)
    if not applications:
        return None
    data = event.data or {}
    return {
        "registrant_id": event.registrant_id,
        "consent_id": data.get("consent_id"),
        "provider": data.get("provider"),
        "removed_fields": sorted(str(f) for f in data.get("removed_fields") or []),
        "withdrawn_at": _iso(event.occurred_at),
        "applications": applications,
    }


def _household_changed(event: OutboxEvent, now: datetime) -> dict[str, Any] | None:
    applications = _submitted_applications(event.registrant_id)
    if not applications:
        return None  # nobody outside the portal holds this person: nothing to tell
    data = event.data or {}
    registrant = registrant_or_404(event.registrant_id)
    return {
        "registrant_id": event.registrant_id,
        "identity": _identity(registrant),
        "reasons": sorted(str(r) for r in data.get("reasons") or []),
        # Member ids: what this change did. The household below is as it is now (a later change
        # may have touched it again), so a registry replaces what it holds with it.
        "added": [str(m) for m in data.get("added") or []],
        "changed": [str(m) for m in data.get("changed") or []],
        "removed": [str(m) for m in data.get("removed") or []],
        "household": [_member(m) for m in household_of(event.registrant_id)],
        "applications": applications,
    }


_BUILDERS: dict[str, Callable[[OutboxEvent, datetime], dict[str, Any] | None]] = {
    APPLICATION_SUBMITTED: _submitted,
    APPLICATION_DECIDED: _decided,
    APPLICATION_ENROLLED: _enrolled,
    APPLICATION_WITHDRAWN: _withdrawn,
    DETAILS_CHANGED: _details_changed,
    CONSENT_WITHDRAWN: _consent_withdrawn,
    HOUSEHOLD_CHANGED: _household_changed,
}


# --- parts -------------------------------------------------------------------------------------


def _application_ref(event: OutboxEvent, submitted_at: datetime | None) -> dict[str, Any]:
    return {
        "application_id": event.application_id,
        "reference": event.reference,
        "program_id": event.program_id,
        # The application's version after this change: apply an application's events in this order.
        "sequence": _int(event.sequence),
        "submitted_at": _iso(submitted_at),
    }


def _identity(registrant: Registrant) -> dict[str, Any]:
    """Who the person is to their ID provider: the issuer and its (pairwise) subject, and the
    national ID number when the provider released it. A person an officer registered before any
    login has no issuer yet."""
    issuer, _, subject = (registrant.login or "").partition("#")
    from_provider = bool(subject) and "://" in issuer
    return {
        "issuer": issuer if from_provider else None,
        "subject": subject if from_provider else None,
        "individual_id": registrant.individual_id or None,
    }


def _person(registrant: Registrant) -> dict[str, Any]:
    details = {name: _detail(entry) for name, entry in (registrant.profile or {}).items()}
    return {
        "identity": _identity(registrant),
        "preferred_locale": registrant.preferred_locale,
        "details": {name: detail for name, detail in details.items() if detail is not None},
    }


def _detail(entry: dict[str, Any] | None) -> dict[str, Any] | None:
    """A profile field with its provenance; None for a field the person no longer has."""
    if not entry or entry.get("redacted"):
        return None
    return {
        "value": entry.get("value"),
        "source": entry.get("source"),
        "provider": entry.get("provider"),
        "verified": bool(entry.get("verified")),
        "changed_at": entry.get("changed_at"),
        "confirmed_at": entry.get("confirmed_at"),
        "verified_by_role": (entry.get("verified_by") or {}).get("role"),
    }


def _member(member: dict[str, Any]) -> dict[str, Any]:
    return {
        "member_id": member.get("member_id"),
        "fields": member.get("fields") or {},
        "source": member.get("source"),
        "provider": member.get("provider"),
        "recorded_at": member.get("recorded_at"),
    }


def _document(document: dict[str, Any], member: dict[str, Any] | None) -> dict[str, Any]:
    download = document.get("download") or {}
    return {
        "document_id": document["document_id"],
        "kind": document.get("kind"),
        "file_name": document.get("file_name"),
        "content_type": document.get("content_type"),
        "size": document.get("size"),
        "sha256": document.get("sha256"),
        "member": {"group": member["group"], "index": member["index"], "label": member.get("label")} if member else None,
        "url": download.get("url"),
        "url_expires_at": download.get("expires_at"),
    }


def _submitted_applications(registrant_id: str) -> list[dict[str, Any]]:
    """The person's applications a registry may know of (submitted at some point), newest first."""
    page = applications_of(registrant_id, MAX_LIMIT, None)
    return [
        {"application_id": a["application_id"], "reference": a.get("reference"), "program_id": a.get("program_id"), "status": a.get("status")}
        for a in page.items
        if a.get("submitted_at")
    ]


def _form_definition(form_id: str | None, version: Any) -> dict[str, Any] | None:
    if not form_id or version is None:
        return None
    try:
        return published_form(form_id, int(version))
    except NotFound:
        return None  # answers are then labelled by their field names


def _last_entry_to(history: list[dict[str, Any]], status: str) -> dict[str, Any]:
    return next((e for e in reversed(history) if isinstance(e, dict) and e.get("to") == status), {})


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def _int(value: Any) -> int | None:
    return int(value) if value is not None else None


def openapi_webhooks() -> tuple[dict[str, Any], dict[str, Any]]:
    """(the OpenAPI 3.1 ``webhooks`` section, the component schemas it refers to): one POST per
    public type, with the Standard Webhooks headers and its versioned schema."""
    headers = [
        {"name": "webhook-id", "in": "header", "required": True, "schema": {"type": "string"}, "description": "The event id, the same on every try."},
        {"name": "webhook-timestamp", "in": "header", "required": True, "schema": {"type": "string"}, "description": "Seconds since the epoch when signed."},
        {
            "name": "webhook-signature",
            "in": "header",
            "required": True,
            "schema": {"type": "string"},
            "description": "Space-separated `v1,<base64 HMAC-SHA256>` of `id.timestamp.body`, one per valid secret.",
        },
    ]
    webhooks: dict[str, Any] = {}
    components: dict[str, Any] = {}
    for kind, schema in schemas().items():
        name = f"webhook.{kind}.v{SCHEMA_VERSION}"
        components[name] = schema
        webhooks[kind] = {
            "post": {
                "operationId": f"webhook_{kind.replace('.', '_')}",
                "summary": schema["title"],
                "description": schema["description"],
                "tags": ["webhooks"],
                "parameters": headers,
                "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}},
                "responses": {"2XX": {"description": "Received. Any other answer, or none within the timeout, is retried with the same webhook-id."}},
            }
        }
    return webhooks, components
