"""The registrant's own data: profile with provenance, login refresh, updates, history, consent.

A profile field is stored as an entry ``{value, source, provider, verified, changed_at,
confirmed_at, by}``: ``source`` is ``id_provider`` (with ``provider``), ``self`` or
``officer``. Fields the ID provider released are verified and refreshed at every login; a
person changes a self-declared field directly, and asks staff to change a verified one
(a change request). Every change keeps the replaced entry in the person's history.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from typing import Any

from pynamodb.exceptions import TransactWriteError, UpdateError

from chalicelib.auth.identity import Actor
from chalicelib.errors import BadRequest, Conflict, Forbidden, NotFound, ValidationFailed
from chalicelib.observability import logger
from chalicelib.registrants import profile_form
from chalicelib.registrants.activity import activity_of, record_access
from chalicelib.store.base import now
from chalicelib.store.pagination import Page, decode_cursor, query_page
from chalicelib.store.registrants import (
    PROFILE_FORM_KEY,
    ChangeRequest,
    LoginClaim,
    ProfileChange,
    ProfileFormSetting,
    Registrant,
    change_request_key,
    get_with_change_request,
    get_with_profile_form,
)
from chalicelib.store.transactions import cancelled_items, transaction

ID_PROVIDER = "id_provider"
SELF = "self"
OFFICER = "officer"
ASSISTED_LOGIN = "assisted"

_SLASHED_DATE = re.compile(r"^(\d{4})/(\d{2})/(\d{2})$")


@dataclass(frozen=True)
class LoginRecord:
    registrant_id: str
    name: str | None
    preferred_locale: str | None
    changed_fields: list[str]


# --- login ------------------------------------------------------------------------------------


def record_login(
    *,
    issuer: str,
    subject: str,
    provider_id: str,
    profile_claims: dict[str, Any],
    individual_id: str | None,
    consented_claims: list[str],
) -> LoginRecord:
    """Find (by issuer + subject) or create the person, refresh their verified fields from the
    claims and record what they consented to share. Two DynamoDB calls (a Query, a TransactWrite);
    a first login that releases an ID number makes one Query more, for a record an officer
    registered (``_adopt_assisted``).

    ``profile_claims`` are already mapped to profile field names (the provider's claim mapping);
    ``None`` values are ignored. A birthdate as ``YYYY/MM/DD`` (eSignet's mock) is stored as
    ``YYYY-MM-DD``.
    """
    login = f"{issuer}#{subject}"
    claims = {field: _normalise_claim(field, value) for field, value in profile_claims.items() if value is not None}
    existing = next(iter(Registrant.by_login.query(login, limit=1)), None)
    if existing is None and individual_id:
        adopted = _adopt_assisted(login, provider_id, claims, individual_id, consented_claims)
        if adopted is not None:
            return adopted
    if existing is None:
        created = _first_login(login, provider_id, claims, individual_id, consented_claims)
        if created is not None:
            return created
        existing = _holder_of(login)
    for attempt in range(3):
        try:
            return _returning_login(existing, provider_id, claims, individual_id, consented_claims)
        except TransactWriteError:
            # The index read was stale or another login won the race: read again and retry.
            if attempt == 2:
                raise
            existing = Registrant.get(existing.registrant_id, consistent_read=True)
    raise AssertionError("unreachable")


def _normalise_claim(field: str, value: Any) -> Any:
    if field == "birthdate" and isinstance(value, str):
        match = _SLASHED_DATE.match(value)
        if match:
            return "-".join(match.groups())
    return value


def _login_claim_key(login: str) -> str:
    return "login#" + hashlib.sha256(login.encode()).hexdigest()


def _first_login(login: str, provider_id: str, claims: dict[str, Any], individual_id: str | None, consented: list[str]) -> LoginRecord | None:
    at = now().isoformat()
    registrant = Registrant(
        registrant_id=str(uuid.uuid4()),
        login=login,
        individual_id=individual_id or None,
        profile={field: _provider_entry(value, provider_id, at) for field, value in claims.items()},
        consents=[],
        last_login={"at": at, "provider": provider_id, "changed": []},
    )
    registrant.preferred_locale = _locale_of(registrant.profile)
    _note_login_consent(registrant, provider_id, consented, at)
    try:
        with transaction() as writes:
            writes.save(LoginClaim(registrant_id=_login_claim_key(login), holder=registrant.registrant_id), condition=LoginClaim.registrant_id.does_not_exist())
            writes.save(registrant, condition=Registrant.registrant_id.does_not_exist())
    except TransactWriteError:
        return None  # a racing first login created the person: continue as a returning login
    logger.info("registrant_created", extra={"registrant_id": registrant.registrant_id})
    return _login_record(registrant, [])


def _assisted_login(individual_id: str) -> str:
    """The login of a person an officer registered: no issuer is named ``assisted``, so it never
    equals a real ``issuer#subject``."""
    return f"{ASSISTED_LOGIN}#{individual_id}"


def register_assisted(individual_id: str, actor: Actor, request_id: str | None = None) -> str:
    """Create the person an officer assisted after a verified capture proved they hold
    ``individual_id``, when they never logged in. No profile values: nothing was released by an ID
    provider yet. Their first login that releases the same ID number adopts this record
    (see ``record_login``). Two officers racing create one person: the same login guard as a
    first login. Returns the registrant id.

    Someone who logged in after the officer opened the capture transaction already has a
    record: it is used, never a second one beside it."""
    existing = find_by_individual_id(individual_id)
    if existing is not None:
        return existing
    login = _assisted_login(individual_id)
    registrant = Registrant(registrant_id=str(uuid.uuid4()), login=login, individual_id=individual_id, profile={}, consents=[])
    try:
        with transaction() as writes:
            writes.save(LoginClaim(registrant_id=_login_claim_key(login), holder=registrant.registrant_id), condition=LoginClaim.registrant_id.does_not_exist())
            writes.save(registrant, condition=Registrant.registrant_id.does_not_exist())
    except TransactWriteError:
        return _holder_of(login).registrant_id  # another officer registered the person first
    record_access(registrant.registrant_id, actor, "registered_by_officer", {}, request_id)
    logger.info("registrant_created_by_officer", extra={"registrant_id": registrant.registrant_id})
    return registrant.registrant_id


def _adopt_assisted(login: str, provider_id: str, claims: dict[str, Any], individual_id: str, consented: list[str]) -> LoginRecord | None:
    """A first login whose ID provider released the ID number of a person an officer registered
    takes over that record (one Query more, only on a first login). Only a record whose login is
    still the officer's ``assisted#`` one is adopted: a record made by a real login never is.
    None when there is nothing to adopt or this login's guard already exists (a racing login)."""
    assisted_login = _assisted_login(individual_id)
    candidate: Registrant | None = next(iter(Registrant.by_login.query(assisted_login, limit=1)), None)
    for _ in range(3):
        if candidate is None or candidate.login != assisted_login or candidate.individual_id != individual_id:
            return None
        try:
            record = _returning_login(candidate, provider_id, claims, individual_id, consented, adopt_as=login)
        except TransactWriteError as error:
            if 0 in cancelled_items(error):
                return None  # this login's guard exists: continue as a returning login
            try:  # the index read was stale or an officer changed the record: read again
                candidate = Registrant.get(candidate.registrant_id, consistent_read=True)
            except Registrant.DoesNotExist:
                return None
            continue
        logger.info("assisted_registrant_adopted", extra={"registrant_id": record.registrant_id})
        return record
    return None


def _holder_of(login: str) -> Registrant:
    claim = LoginClaim.get(_login_claim_key(login), consistent_read=True)
    return Registrant.get(claim.holder, consistent_read=True)


def _returning_login(
    registrant: Registrant, provider_id: str, claims: dict[str, Any], individual_id: str | None, consented: list[str], adopt_as: str | None = None
) -> LoginRecord:
    at = now().isoformat()
    actor = Actor("system", provider_id)
    profile = dict(registrant.profile or {})
    changes: list[ProfileChange] = []
    for field, value in claims.items():
        current = profile.get(field)
        fresh = _provider_entry(value, provider_id, at)
        if current is None:
            profile[field] = fresh
            changes.append(_history(registrant.registrant_id, field, None, fresh, "login_refresh", actor, at))
        elif current.get("source") == ID_PROVIDER:
            if current.get("value") == value:
                profile[field] = {**current, "confirmed_at": at, "provider": provider_id}
            else:
                profile[field] = fresh
                changes.append(_history(registrant.registrant_id, field, current, fresh, "login_refresh", actor, at))
        elif not current.get("verified"):
            # The ID provider's verified value replaces what the person or an officer declared.
            profile[field] = fresh
            changes.append(_history(registrant.registrant_id, field, current, fresh, "login_refresh", actor, at))
        # else: a value staff verified on review stays until the person asks to change it again.
    changed = [change.field for change in changes]
    registrant.profile = profile
    if individual_id:
        registrant.individual_id = individual_id
    registrant.preferred_locale = _locale_of(profile) or registrant.preferred_locale
    registrant.last_login = {"at": at, "provider": provider_id, "changed": changed}
    registrant.updated_at = now()
    _note_login_consent(registrant, provider_id, consented, at)
    with transaction() as writes:
        if adopt_as is not None:
            # Written first (position 0): a racing first login of the same person holds it.
            claim = LoginClaim(registrant_id=_login_claim_key(adopt_as), holder=registrant.registrant_id)
            writes.save(claim, condition=LoginClaim.registrant_id.does_not_exist())
            registrant.login = adopt_as
        writes.save(registrant)  # the version condition: unchanged since read, so still the officer's record
        for change in changes:
            writes.save(change)
    return _login_record(registrant, changed)


def _provider_entry(value: Any, provider_id: str, at: str) -> dict[str, Any]:
    return {"value": value, "source": ID_PROVIDER, "provider": provider_id, "verified": True, "changed_at": at, "confirmed_at": at}


def _locale_of(profile: dict[str, Any] | None) -> str | None:
    """The language the portal uses for the person where no request names one (``preferred_locale``:
    their submissions and export, the session a login starts): their profile's ``preferred_language``,
    whoever set it (the ID provider, the person, an officer, staff approving a change). Every
    write of the profile keeps it in step."""
    value = ((profile or {}).get("preferred_language") or {}).get("value")
    return value if isinstance(value, str) and value else None


def _login_record(registrant: Registrant, changed: list[str]) -> LoginRecord:
    name = (registrant.profile or {}).get("name", {}).get("value")
    return LoginRecord(
        registrant_id=registrant.registrant_id,
        name=name if isinstance(name, str) else None,
        preferred_locale=registrant.preferred_locale,
        changed_fields=changed,
    )


def _note_login_consent(registrant: Registrant, provider_id: str, claims: list[str], at: str) -> None:
    """One record per provider and set of claims: a repeated login with the same consent updates
    ``last_given_at``; a different set of claims replaces the provider's previous record."""
    shared = sorted(set(claims))
    consents = [dict(c) for c in registrant.consents or []]
    for consent in consents:
        if consent.get("kind") == "id_provider" and consent.get("provider") == provider_id and consent.get("status") == "active":
            if consent.get("claims") == shared:
                consent["last_given_at"] = at
                registrant.consents = consents
                return
            consent["status"] = "replaced"
            consent["ended_at"] = at
    consents.append(
        {
            "consent_id": uuid.uuid4().hex,
            "kind": "id_provider",
            "provider": provider_id,
            "claims": shared,
            "given_at": at,
            "last_given_at": at,
            "status": "active",
        }
    )
    registrant.consents = consents


def _history(
    registrant_id: str,
    field: str,
    previous: dict[str, Any] | None,
    current: dict[str, Any] | None,
    reason: str,
    actor: Actor,
    at: str,
    change_request_id: str | None = None,
) -> ProfileChange:
    entry_id = uuid.uuid4().hex
    return ProfileChange(
        registrant_id=f"history#{entry_id}",
        owner=registrant_id,
        sort=f"history#{at}#{entry_id}",
        field=field,
        previous=previous,
        current=current,
        reason=reason,
        actor=actor.as_dict(),
        change_request_id=change_request_id,
        at=at,
    )


# --- what other areas read --------------------------------------------------------------------


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


def find_by_individual_id(individual_id: str) -> str | None:
    """The registrant an ID number belongs to (the most recently active one if the person logged
    in through several providers, or the record an officer registered); None if nobody with that
    number has logged in or been registered by an officer. One Query."""
    if not individual_id or len(individual_id) > 64:
        return None
    matches = list(Registrant.by_individual_id.query(individual_id, limit=20))
    if not matches:
        return None
    return max(matches, key=lambda r: r.updated_at).registrant_id


# --- the person's profile ---------------------------------------------------------------------

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
REQUEST_ID = re.compile(r"^[0-9a-f]{32}$")


def is_registrant_id(value: str) -> bool:
    """Registrant ids are UUIDs; anything else (e.g. a record key of this table) is nobody."""
    return bool(UUID.match(value))


def my_profile(registrant_id: str) -> dict[str, Any]:
    """The person's fields with provenance, pending changes and the profile form. One BatchGetItem."""
    registrant, setting = get_with_profile_form(registrant_id)
    if registrant is None:
        raise NotFound()
    return profile_view(registrant, profile_form.from_setting(setting))


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


PROFILE_EDITORS = frozenset({"registrant", OFFICER})


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
            request = _new_change_request(registrant_id, name, value, current, actor, at)
            requests.append(request)
            pending[name] = {"request_id": request.registrant_id.split("#", 1)[1], "value": value, "requested_at": at}
        else:
            entry = {"value": value, "source": source, "verified": False, "changed_at": at, "by": actor.as_dict()}
            profile[name] = entry
            history.append(_history(registrant_id, name, current, entry, f"{source}_update", actor, at))
    if history or requests:
        registrant.profile = profile
        registrant.preferred_locale = _locale_of(profile) or registrant.preferred_locale
        registrant.pending_changes = pending
        registrant.updated_at = now()
        with transaction() as writes:
            writes.save(registrant)
            for change in history:
                writes.save(change)
            for request in requests:
                writes.save(request, condition=ChangeRequest.registrant_id.does_not_exist())
            for request_id in superseded:
                writes.update(
                    _request_ref(request_id),
                    actions=_closing(ChangeRequest, "superseded", at),
                    condition=ChangeRequest.status == "pending",
                    add_version_condition=False,
                )
    if actor.role != "registrant" and (history or requests):
        details: dict[str, Any] = {**(audit_details or {}), "fields": sorted(h.field for h in history) + sorted(r.field for r in requests)}
        record_access(registrant_id, actor, "profile_changed", details, request_id)
    return {
        "applied": [change.field for change in history],
        "change_requests": [_request_json(request) for request in requests],
        "profile": profile_view(registrant, form),
    }


def _check_editor(registrant_id: str, actor: Actor) -> None:
    """Only the person, or an officer acting for them, changes a profile; staff review instead."""
    if actor.role not in PROFILE_EDITORS:
        raise Forbidden("Your role does not allow changing a person's details.", code="wrong_role")
    if not is_registrant_id(registrant_id) or (actor.role == "registrant" and actor.ref != registrant_id):
        raise NotFound()


def _new_change_request(registrant_id: str, name: str, value: Any, current: dict[str, Any], actor: Actor, at: str) -> ChangeRequest:
    request_id = uuid.uuid4().hex
    return ChangeRequest(
        registrant_id=change_request_key(request_id),
        owner=registrant_id,
        sort=f"change#{at}#{request_id}",
        queue="pending",
        queued_at=f"{at}#{request_id}",
        field=name,
        value=value,
        current=current,
        status="pending",
        requested_at=at,
        requested_by=actor.as_dict(),
    )


def _request_ref(request_id: str) -> ChangeRequest:
    """A change request to update without reading it first; its status condition is the lock.
    A known version makes pynamodb add ``version + 1`` rather than set it to 1."""
    request = ChangeRequest(registrant_id=change_request_key(request_id))
    request.version = 0
    return request


def _closing(model: type[ChangeRequest], status: str, at: str, reason: str | None = None, actor: Actor | None = None) -> list[Any]:
    actions = [model.status.set(status), model.queue.remove(), model.queued_at.remove(), model.decided_at.set(at)]
    if reason is not None:
        actions.append(model.reason.set(reason))
    if actor is not None:
        actions.append(model.decided_by.set(actor.as_dict()))
    return actions


def _request_json(request: ChangeRequest, *, with_values: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {
        "request_id": request.registrant_id.split("#", 1)[1],
        "field": request.field,
        "status": request.status,
        "requested_at": request.requested_at,
        "requested_by": request.requested_by,
        "decided_at": request.decided_at,
        "decided_by": request.decided_by,
        "reason": request.reason,
    }
    if with_values:
        body["value"] = request.value
        body["current"] = request.current
    return body


# --- history ----------------------------------------------------------------------------------


def my_history(registrant_id: str, limit: int, cursor: str | None) -> dict[str, Any]:
    """Every change of the person's fields with the value it replaced, newest first. One Query."""
    page = _own_records(ProfileChange, registrant_id, "history#", limit, cursor)
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


def my_change_requests(registrant_id: str, limit: int, cursor: str | None) -> dict[str, Any]:
    """The person's change requests, newest first, whatever their status. One Query."""
    page = _own_records(ChangeRequest, registrant_id, "change#", limit, cursor)
    return page.to_json(_request_json(request) for request in page.items)


def _own_records(model: Any, registrant_id: str, prefix: str, limit: int, cursor: str | None) -> Page[Any]:
    start = decode_cursor(cursor, ("owner", "sort", "registrant_id"))
    if start is not None and (start["owner"].get("S") != registrant_id or not start["sort"].get("S", "").startswith(prefix)):
        raise BadRequest("This page link is not valid.", code="bad_cursor")
    results = model.by_owner.query(registrant_id, model.sort.startswith(prefix), scan_index_forward=False, limit=limit, last_evaluated_key=start)
    return query_page(results, limit)


def withdraw_change_request(registrant_id: str, request_id: str) -> dict[str, Any]:
    """The person takes back their own pending request. 404 for anyone else's."""
    if not REQUEST_ID.match(request_id):
        raise NotFound()
    registrant, request = get_with_change_request(registrant_id, request_id)
    if registrant is None or request is None or request.owner != registrant_id:
        raise NotFound()
    if request.status != "pending":
        raise Conflict("This request has already been decided.", code="not_pending", details={"status": request.status})
    at = now().isoformat()
    pending = dict(registrant.pending_changes or {})
    if (pending.get(request.field) or {}).get("request_id") == request_id:
        pending.pop(request.field)
    registrant.pending_changes = pending
    registrant.updated_at = now()
    with transaction() as writes:
        writes.save(registrant)
        writes.update(request, actions=_closing(ChangeRequest, "withdrawn", at), condition=ChangeRequest.status == "pending")
    request.status, request.decided_at = "withdrawn", at
    return _request_json(request)


# --- staff: reviewing change requests and viewing a person ------------------------------------


def pending_change_requests(limit: int, cursor: str | None) -> dict[str, Any]:
    """The review queue, oldest first, without the values (opening one is an audited read)."""
    start = decode_cursor(cursor, ("queue", "queued_at", "registrant_id"))
    if start is not None and start["queue"].get("S") != "pending":
        raise BadRequest("This page link is not valid.", code="bad_cursor")
    results = ChangeRequest.review_queue.query("pending", scan_index_forward=True, limit=limit, last_evaluated_key=start)
    page = query_page(results, limit)
    return page.to_json({**_request_json(request, with_values=False), "registrant_id": request.owner} for request in page.items)


def _load_request(request_id: str) -> ChangeRequest:
    if not REQUEST_ID.match(request_id):
        raise NotFound()
    try:
        return ChangeRequest.get(change_request_key(request_id), consistent_read=True)
    except ChangeRequest.DoesNotExist:
        raise NotFound() from None


def view_change_request(request_id: str, actor: Actor, request_ref: str | None = None) -> dict[str, Any]:
    request = _load_request(request_id)
    record_access(request.owner, actor, "change_request_viewed", {"change_request_id": request_id}, request_ref)
    return {**_request_json(request), "registrant_id": request.owner}


def decide_change_request(request_id: str, approve: bool, reason: str | None, actor: Actor, request_ref: str | None = None) -> dict[str, Any]:
    """Approve (the value becomes the field's, verified by review) or reject (with a reason the
    person sees). 409 when already decided; the person sees the decision in their activity."""
    request = _load_request(request_id)
    if request.status != "pending":
        raise Conflict("This request has already been decided.", code="not_pending", details={"status": request.status})
    registrant = _registrant(request.owner)
    at = now().isoformat()
    pending = dict(registrant.pending_changes or {})
    if (pending.get(request.field) or {}).get("request_id") == request_id:
        pending.pop(request.field)
    registrant.pending_changes = pending
    registrant.updated_at = now()
    change = None
    if approve:
        profile = dict(registrant.profile or {})
        requested_by = request.requested_by or {}
        entry = {
            "value": request.value,
            "source": OFFICER if requested_by.get("role") == "officer" else SELF,
            "verified": True,
            "changed_at": at,
            "by": requested_by,
            "verified_by": actor.as_dict(),
            "change_request": request_id,
        }
        change = _history(registrant.registrant_id, request.field, profile.get(request.field), entry, "change_request_approved", actor, at, request_id)
        profile[request.field] = entry
        registrant.profile = profile
        registrant.preferred_locale = _locale_of(profile) or registrant.preferred_locale
    status = "approved" if approve else "rejected"
    with transaction() as writes:
        writes.save(registrant)
        writes.update(request, actions=_closing(ChangeRequest, status, at, reason, actor), condition=ChangeRequest.status == "pending")
        if change is not None:
            writes.save(change)
    record_access(request.owner, actor, f"change_request_{status}", {"change_request_id": request_id}, request_ref)
    request.status, request.decided_at, request.reason, request.decided_by = status, at, reason, actor.as_dict()
    return {**_request_json(request), "registrant_id": request.owner}


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


# --- activity ---------------------------------------------------------------------------------


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


# --- the profile form -------------------------------------------------------------------------


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


# --- consent ----------------------------------------------------------------------------------


def my_consents(registrant_id: str) -> dict[str, Any]:
    """Consent records, newest first: what the person agreed to share at login (which claims,
    which provider, when), kept on their record, and the statements they agreed to in their
    applications (programs area, ``consents_given``: each with the program's name, the
    application's reference and when). One GetItem and one Query."""
    from chalicelib.programs.consent import consents_given

    registrant = _registrant(registrant_id)
    records = [*(registrant.consents or []), *consents_given(registrant_id)]
    return {"items": sorted(records, key=lambda c: str(c.get("given_at") or ""), reverse=True)}


def withdraw_consent(registrant_id: str, consent_id: str) -> dict[str, Any]:
    """Withdraw consent for the portal to keep an ID provider's data: that provider's values are
    removed from the profile (the ID number too), cleared from the person's draft applications
    (programs area), and redacted from the history and from change requests. Submitted
    applications keep what was sent. The withdrawal is recorded in the consent and the history.

    Retry-safe: everything that can be done twice (drafts, redaction) is done first, and the
    consent is marked withdrawn last, in one transaction with the profile. A failure part-way
    leaves the consent active, so the person's retry does it all again and finishes; a retry
    after success is 409 ``not_active``. A change to the person's record meanwhile (a login)
    cancels the marking, which is then done again from a fresh read.
    """
    from chalicelib.programs.consent import clear_provider_values

    cleared: set[str] = set()
    for attempt in range(3):
        registrant = _registrant(registrant_id)
        consents = [dict(c) for c in registrant.consents or []]
        consent = _withdrawable(registrant_id, consents, consent_id)
        provider = str(consent.get("provider"))
        profile = dict(registrant.profile or {})
        removed = sorted(name for name, entry in profile.items() if _from_provider(entry, provider))
        cleared.update(clear_provider_values(registrant_id, {name: profile[name].get("value") for name in removed}))
        _redact_provider_values(registrant_id, provider)
        try:
            _mark_withdrawn(registrant, consents, consent, removed)
        except TransactWriteError:
            if attempt == 2:
                raise
            continue
        logger.info("consent_withdrawn", extra={"registrant_id": registrant_id, "fields": len(removed), "applications": len(cleared)})
        return {"consent": consent, "removed_fields": removed, "cleared_applications": sorted(cleared)}
    raise AssertionError("unreachable")


def _withdrawable(registrant_id: str, consents: list[dict[str, Any]], consent_id: str) -> dict[str, Any]:
    consent = next((c for c in consents if c.get("consent_id") == consent_id), None)
    if consent is None and _given_in_an_application(registrant_id, consent_id):
        consent = {"kind": "application"}
    if consent is None:
        raise NotFound()
    if consent.get("kind") != "id_provider":
        raise Conflict("This consent was given for an application; ask the program to withdraw it.", code="not_withdrawable")
    if consent.get("status") != "active":
        raise Conflict("This consent is no longer active.", code="not_active", details={"status": consent.get("status")})
    return consent


def _given_in_an_application(registrant_id: str, consent_id: str) -> bool:
    """Whether the id is one of the person's application consents (kept on their applications:
    one Query, only when the id is not on their record)."""
    from chalicelib.programs.consent import consents_given

    return any(c["consent_id"] == consent_id for c in consents_given(registrant_id))


def _mark_withdrawn(registrant: Registrant, consents: list[dict[str, Any]], consent: dict[str, Any], removed: list[str]) -> None:
    """The provider's values leave the profile and the consent is marked withdrawn, with one
    history entry per field (its value already redacted), in one transaction under the version."""
    at = now().isoformat()
    actor = Actor("registrant", registrant.registrant_id)
    profile = dict(registrant.profile or {})
    changes = [_history(registrant.registrant_id, name, _redacted(profile.pop(name)), None, "consent_withdrawn", actor, at) for name in removed]
    consent.update(status="withdrawn", withdrawn_at=at, removed_fields=removed)
    registrant.consents = consents
    registrant.profile = profile
    if "preferred_language" in removed:  # it was the provider's claim: its copy goes too
        registrant.preferred_locale = None
    registrant.individual_id = None
    registrant.updated_at = now()
    with transaction() as writes:
        writes.save(registrant)
        for change in changes:
            writes.save(change)


def _redacted(entry: dict[str, Any] | None) -> dict[str, Any] | None:
    if entry is None:
        return None
    return {**{k: v for k, v in entry.items() if k != "value"}, "value": None, "redacted": True}


def _from_provider(entry: dict[str, Any] | None, provider: str) -> bool:
    return entry is not None and entry.get("source") == ID_PROVIDER and entry.get("provider") == provider and not entry.get("redacted")


def _redact_provider_values(registrant_id: str, provider: str) -> None:
    """Past values from the provider, kept in history and in change requests, are blanked. Doing
    it twice changes nothing more."""
    for change in ProfileChange.by_owner.query(registrant_id, ProfileChange.sort.startswith("history#")):
        _redact_change(change, provider)
    for request in ChangeRequest.by_owner.query(registrant_id, ChangeRequest.sort.startswith("change#")):
        _redact_request(request, provider)


def _redact_change(change: ProfileChange, provider: str) -> None:
    """One history entry, under its version: a redaction racing this one is read again."""
    for attempt in range(3):
        actions = [
            attribute.set(_redacted(entry))
            for attribute, entry in ((ProfileChange.previous, change.previous), (ProfileChange.current, change.current))
            if _from_provider(entry, provider)
        ]
        if not actions:
            return
        try:
            change.update(actions=[*actions, ProfileChange.updated_at.set(now())])
            return
        except UpdateError as error:
            if error.cause_response_code != "ConditionalCheckFailedException" or attempt == 2:
                raise
            change.refresh(consistent_read=True)


def _redact_request(request: ChangeRequest, provider: str) -> None:
    """The verified value a change request would replace, as it was when asked."""
    if _from_provider(request.current, provider):
        request.update(actions=[ChangeRequest.current.set(_redacted(request.current))], add_version_condition=False)


def _registrant(registrant_id: str) -> Registrant:
    try:
        return Registrant.get(registrant_id, consistent_read=True)
    except Registrant.DoesNotExist:
        raise NotFound() from None
