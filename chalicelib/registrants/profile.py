"""The person's profile: their fields with provenance, changes they (or an officer) make, the
history of every change, their activity log, and the profile form administrators set.

Fields the ID provider released are verified; a person changes a self-declared field directly
and asks staff to change a verified one (a change request).
"""

from __future__ import annotations

from typing import Any

from chalicelib.errors import BadRequest, Conflict, Forbidden, NotFound, ValidationFailed
from chalicelib.identity.audit import activity_of, record_access
from chalicelib.identity.callers import Actor
from chalicelib.observability import logger
from chalicelib.registrants import profile_form
from chalicelib.registrants.change_requests import closing, new_change_request, request_json, unread_request
from chalicelib.registrants.household import members_of
from chalicelib.registrants.records import (
    OFFICER,
    SELF,
    changed_details,
    history_entry,
    is_registrant_id,
    locale_of,
    own_records,
    write_with_history,
)
from chalicelib.store.base import now
from chalicelib.store.pagination import decode_cursor
from chalicelib.store.registrants import (
    PROFILE_FORM_KEY,
    ChangeRequest,
    ProfileChange,
    ProfileFormSetting,
    Registrant,
    get_with_household,
    get_with_profile_form,
    get_with_profile_form_and_household,
)
from chalicelib.store.transactions import transaction


def profile_values(registrant_id: str) -> dict[str, dict[str, Any]]:
    """``{field: {"value", "verified", "source"}}`` for prefilling forms; empty for an unknown id.
    One GetItem."""
    try:
        registrant = Registrant.get(registrant_id)
    except Registrant.DoesNotExist:
        return {}
    return {
        field: {"value": entry.get("value"), "verified": bool(entry.get("verified")), "source": entry.get("source")}
        for field, entry in (registrant.profile or {}).items()
    }


def prefill_values(registrant_id: str, with_household: bool) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """(``profile_values``, the household's members) for prefilling a form; with the household,
    both come in one BatchGetItem."""
    if not with_household:
        return profile_values(registrant_id), []
    registrant, household = get_with_household(registrant_id)
    if registrant is None:
        return {}, []
    profile = {
        field: {"value": entry.get("value"), "verified": bool(entry.get("verified")), "source": entry.get("source")}
        for field, entry in (registrant.profile or {}).items()
    }
    return profile, members_of(household)


PROFILE_EDITORS = frozenset({"registrant", OFFICER})


def my_profile(registrant_id: str) -> dict[str, Any]:
    """The person's fields with provenance, pending changes, the profile form and the members of
    their household the portal remembers (each with its source). One BatchGetItem."""
    registrant, setting, household = get_with_profile_form_and_household(registrant_id)
    if registrant is None:
        raise NotFound()
    return {**profile_view(registrant, profile_form.from_setting(setting)), "household": members_of(household)}


def profile_view(registrant: Registrant, form: profile_form.ProfileForm) -> dict[str, Any]:
    profile = registrant.profile or {}
    pending = registrant.pending_changes or {}
    changed_at_login = set((registrant.last_login or {}).get("changed", []))
    order = list(form.fields) + [name for name in profile if name not in form.fields]
    fields = {}
    for name in order:
        entry = profile.get(name) or {}
        fields[name] = {
            "value": entry.get("value"),
            "source": entry.get("source"),
            "provider": entry.get("provider"),
            "verified": bool(entry.get("verified")),
            "changed_at": entry.get("changed_at"),
            "confirmed_at": entry.get("confirmed_at"),
            "verified_by": entry.get("verified_by"),
            "in_form": name in form.fields,
            "changed_at_last_login": name in changed_at_login,
            "pending_change": pending.get(name),
        }
    return {
        "registrant_id": registrant.registrant_id,
        "version": registrant.version,
        "individual_id": registrant.individual_id,
        "preferred_locale": registrant.preferred_locale,
        "order": order,
        "fields": fields,
        "last_login": registrant.last_login,
        "profile_form": form.as_json(),
    }


def update_profile(
    registrant_id: str,
    changes: dict[str, Any],
    expected_version: int,
    actor: Actor,
    *,
    request_id: str | None = None,
    audit_details: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Apply a person's changes, or an officer's made for them: a field nobody verified changes
    at once (``source: self``, or ``source: officer`` with the officer in ``by``); a change to a
    verified field becomes a change request for staff, ``requested_by`` the actor. One
    BatchGetItem, one TransactWrite; an officer's change also writes ``profile_changed`` to the
    person's activity log (with ``request_id`` and any ``audit_details``, e.g. the assisted
    session's id).

    ``actor`` is ``Actor.registrant(caller)`` (the person themself) or ``Actor("officer",
    staff.ref)``; any other role is 403 ``wrong_role``, and a registrant actor changing someone
    else is 404. ``expected_version`` is the version last seen (``If-Match``): 409 when stale.
    """
    _check_editor(registrant_id, actor)
    registrant, setting = get_with_profile_form(registrant_id)
    if registrant is None:
        raise NotFound()
    form = profile_form.from_setting(setting)
    profile_form.check_changes(form, changes, now().date())
    if registrant.version != expected_version:
        raise Conflict(
            "These details were changed in the meantime. Reload them and try again.",
            code="stale_version",
            details={"current_version": registrant.version},
        )
    at = now().isoformat()
    source = OFFICER if actor.role == OFFICER else SELF
    profile = dict(registrant.profile or {})
    pending = dict(registrant.pending_changes or {})
    history: list[ProfileChange] = []
    requests: list[ChangeRequest] = []
    superseded: list[str] = []
    for name, value in changes.items():
        current = profile.get(name)
        if current is not None and current.get("value") == value:
            continue
        if current is not None and current.get("verified"):
            earlier = pending.get(name)
            if earlier and earlier.get("value") == value:
                continue
            if earlier:
                superseded.append(earlier["request_id"])
            request = new_change_request(registrant_id, name, value, current, actor, at)
            requests.append(request)
            pending[name] = {"request_id": request.registrant_id.split("#", 1)[1], "value": value, "requested_at": at}
        else:
            entry = {"value": value, "source": source, "verified": False, "changed_at": at, "by": actor.as_dict()}
            profile[name] = entry
            history.append(history_entry(registrant_id, name, current, entry, f"{source}_update", actor, at))
    if history or requests:
        registrant.profile = profile
        registrant.preferred_locale = locale_of(profile) or registrant.preferred_locale
        registrant.pending_changes = pending
        registrant.updated_at = now()
        with transaction() as writes:
            write_with_history(writes, registrant, history)
            if history:
                changed_details(writes, registrant_id, actor.role, history)
            for request in requests:
                writes.save(request, condition=ChangeRequest.registrant_id.does_not_exist())
            for request_id in superseded:
                writes.update(
                    unread_request(request_id),
                    actions=closing(ChangeRequest, "superseded", at),
                    condition=ChangeRequest.status == "pending",
                    add_version_condition=False,
                )
    if actor.role != "registrant" and (history or requests):
        details: dict[str, Any] = {**(audit_details or {}), "fields": sorted(h.field for h in history) + sorted(r.field for r in requests)}
        record_access(registrant_id, actor, "profile_changed", details, request_id)
    return {
        "applied": [change.field for change in history],
        "change_requests": [request_json(request) for request in requests],
        "profile": profile_view(registrant, form),
    }


def _check_editor(registrant_id: str, actor: Actor) -> None:
    """Only the person, or an officer acting for them, changes a profile; staff review instead."""
    if actor.role not in PROFILE_EDITORS:
        raise Forbidden("Your role does not allow changing a person's details.", code="wrong_role")
    if not is_registrant_id(registrant_id) or (actor.role == "registrant" and actor.ref != registrant_id):
        raise NotFound()


def my_history(registrant_id: str, limit: int, cursor: str | None) -> dict[str, Any]:
    """Every change of the person's fields with the value it replaced, newest first. One Query."""
    page = own_records(ProfileChange, registrant_id, "history#", limit, cursor)
    return page.to_json(
        {
            "at": change.at,
            "field": change.field,
            "previous": change.previous,
            "current": change.current,
            "reason": change.reason,
            "by": change.actor,
            "change_request_id": change.change_request_id,
        }
        for change in page.items
    )


def staff_view_profile(registrant_id: str, actor: Actor, request_ref: str | None = None) -> dict[str, Any]:
    """A person's profile as staff see it; the read is written to the person's activity."""
    if not is_registrant_id(registrant_id):
        raise NotFound()
    registrant, setting = get_with_profile_form(registrant_id)
    if registrant is None:
        raise NotFound()
    record_access(registrant_id, actor, "profile_viewed", None, request_ref)
    view = profile_view(registrant, profile_form.from_setting(setting))
    view.pop("profile_form")
    return view


def my_activity(registrant_id: str, limit: int, cursor: str | None) -> dict[str, Any]:
    """Who among staff and officers read or changed the person's data, newest first. One Query."""
    start = decode_cursor(cursor, ("subject", "at#event"))
    if start is not None and start["subject"].get("S") != registrant_id:
        raise BadRequest("This page link is not valid.", code="bad_cursor")
    page = activity_of(registrant_id, limit, cursor)
    return page.to_json(
        {
            "at": event.at_event.split("#", 1)[0],
            "action": event.action,
            "by": {"role": event.actor_role, "ref": event.actor_ref},
            "details": event.details,
        }
        for event in page.items
    )


def current_profile_form() -> dict[str, Any]:
    return profile_form.from_setting(_stored_profile_form()).as_json()


def _stored_profile_form() -> ProfileFormSetting | None:
    try:
        return ProfileFormSetting.get(PROFILE_FORM_KEY, consistent_read=True)
    except ProfileFormSetting.DoesNotExist:
        return None


def replace_profile_form(schema: Any, labels: Any, expected_version: int, actor: Actor) -> dict[str, Any]:
    """An administrator's new profile form; ``expected_version`` is the one they edited (0 for
    the built-in default). Field errors point into the request body."""
    problems = profile_form.check_form(schema, labels)
    if problems:
        raise ValidationFailed("The profile form needs to be corrected.", code="invalid_profile_form", fields=problems)
    setting = _stored_profile_form() or ProfileFormSetting(registrant_id=PROFILE_FORM_KEY)
    if int(setting.version or 0) != expected_version:
        raise Conflict(
            "The profile form was changed in the meantime. Reload it and try again.",
            code="stale_version",
            details={"current_version": int(setting.version or 0)},
        )
    setting.schema = profile_form.normalise(schema)
    setting.labels = labels
    setting.updated_at = now().isoformat()
    setting.updated_by = actor.as_dict()
    setting.save()
    logger.info("profile_form_replaced", extra={"version": setting.version})
    return profile_form.from_setting(setting).as_json()
