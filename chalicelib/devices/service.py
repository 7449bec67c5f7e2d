"""Edge agents, capture transactions and capture intake: the rules of the devices area.

An officer enrols an agent (its public key) and asks for a capture transaction naming the
person by ID number; the agent relays the device's capture in an envelope it signs. Intake
checks, in this order, each failure with its own code: the envelope and its agent, the
transaction, the device's data (``device_data``), then the match (``verifiers``). A verified
capture opens an assisted session (``assisted``). Biometric data is held only for the length
of the request: neither the tables nor the logs ever see it.
"""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

import boto3
from pynamodb.exceptions import TransactWriteError

from chalicelib import config
from chalicelib.devices import assisted
from chalicelib.devices.device_data import check_biometrics
from chalicelib.devices.verifiers import MatchOutcome, MatchRequest, configured_verifier
from chalicelib.errors import STATUS_ERRORS, BadRequest, Conflict, Forbidden, NotFound, PortalError, ValidationFailed
from chalicelib.events.outbox import EventType, add_event
from chalicelib.identity.audit import record_access
from chalicelib.identity.callers import Actor, StaffCaller
from chalicelib.observability import logger
from chalicelib.registrants.logins import find_by_individual_id, register_assisted
from chalicelib.store.base import now
from chalicelib.store.devices import DeviceItem
from chalicelib.store.pagination import Page, decode_cursor, query_page
from chalicelib.store.transactions import transaction
from chalicelib.web import field_errors

AGENTS = "agents"
MODALITIES = ("finger", "face", "iris")
ENVELOPE_ALG = "ES256"
# How long a capture's outcome is kept, so that an envelope resent late still gets its answer.
CAPTURE_RECORD_LIFETIME = timedelta(days=30)


def officer_partition(officer_ref: str) -> str:
    return f"officer#{officer_ref}"


def officer_actor(caller: StaffCaller) -> Actor:
    return Actor("officer", caller.ref)


# --- agents ---------------------------------------------------------------------------------


def register_agent(officer: StaffCaller, name: str, public_jwk: dict[str, Any]) -> dict[str, Any]:
    """Keep a new agent's public key for ``officer``; the agent keeps the private key."""
    _check_public_key(public_jwk)
    agent = DeviceItem(
        pk=AGENTS,
        sk=str(uuid.uuid4()),
        kind="agent",
        owner=officer.ref,
        data={"name": name, "public_jwk": public_jwk, "status": "active"},
    )
    agent.save(condition=DeviceItem.pk.does_not_exist())
    logger.info("agent_registered", extra={"agent_id": agent.sk, "officer": officer.ref})
    return agent_view(agent)


def _check_public_key(jwk: dict[str, Any]) -> None:
    # joserfc (and cryptography under it) stay off the cold-start path of every other route.
    from joserfc.errors import JoseError
    from joserfc.jwk import ECKey

    if "d" in jwk:
        raise ValidationFailed("Send the agent's public key only, never its private key.", fields={"/public_key/d": "private_key_sent"})
    if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
        raise ValidationFailed("The agent key must be an EC P-256 public key.", fields={"/public_key": "unsupported_key"})
    try:
        ECKey.import_key({k: jwk[k] for k in ("kty", "crv", "x", "y")})
    except (JoseError, ValueError, KeyError, TypeError):
        raise ValidationFailed("The agent key could not be read.", fields={"/public_key": "invalid_key"}) from None


def agent_view(agent: DeviceItem) -> dict[str, Any]:
    data = agent.data or {}
    return {
        "agent_id": agent.sk,
        "name": data.get("name"),
        "officer": agent.owner,
        "status": data.get("status"),
        "public_key": data.get("public_jwk"),
        "registered_at": agent.created_at.isoformat(),
        "revoked_at": data.get("revoked_at"),
    }


def list_agents(caller: StaffCaller, officer: str | None, limit: int, cursor: str | None) -> Page[DeviceItem]:
    """Admins see every agent (or one officer's); an officer sees their own. One Query."""
    if "admin" not in caller.roles:
        officer = caller.ref
    start = decode_cursor(cursor, ("pk", "sk"))
    condition = DeviceItem.owner == officer if officer else None
    results = DeviceItem.query(AGENTS, filter_condition=condition, limit=limit, last_evaluated_key=start)
    return query_page(results, limit)


def get_agent(caller: StaffCaller, agent_id: str) -> DeviceItem:
    """An agent as its officer or an admin may see it; 404 for anyone else's."""
    agent = _agent(agent_id)
    if agent is None or ("admin" not in caller.roles and agent.owner != caller.ref):
        raise NotFound(code="agent_not_found")
    return agent


def revoke_agent(admin: StaffCaller, agent_id: str) -> DeviceItem:
    """From now on the agent's envelopes and transaction requests are refused."""
    agent = _agent(agent_id)
    if agent is None:
        raise NotFound(code="agent_not_found")
    if (agent.data or {}).get("status") != "revoked":
        agent.data = {**(agent.data or {}), "status": "revoked", "revoked_at": now().isoformat(), "revoked_by": admin.ref}
        agent.save()
        logger.info("agent_revoked", extra={"agent_id": agent_id, "by": admin.ref})
    return agent


def _agent(agent_id: str) -> DeviceItem | None:
    if not agent_id or len(agent_id) > 64:
        return None
    try:
        return DeviceItem.get(AGENTS, agent_id)
    except DeviceItem.DoesNotExist:
        return None


def _usable_agent(officer: StaffCaller, agent_id: str) -> DeviceItem:
    agent = _agent(agent_id)
    if agent is None:
        raise Forbidden("This edge agent is not enrolled. Enrol it again.", code="agent_unknown")
    if agent.owner != officer.ref:
        raise Forbidden("This edge agent belongs to another officer.", code="agent_not_yours")
    if (agent.data or {}).get("status") != "active":
        raise Forbidden("This edge agent has been revoked.", code="agent_revoked")
    return agent


# --- capture transactions -------------------------------------------------------------------


def open_transaction(officer: StaffCaller, agent_id: str, individual_id: str, modality: str, request_id: str | None = None) -> dict[str, Any]:
    """A short-lived capture transaction bound to this officer, agent and person."""
    _usable_agent(officer, agent_id)
    # Someone who never logged in gets a record only once a capture proves who they are
    # (``accept_capture``): until then the transaction names nobody.
    registrant_id = _registrant_for(individual_id)
    opened = now()
    expires = opened + timedelta(seconds=config.get_int("SSP_CAPTURE_TRANSACTION_SECONDS"))
    item = DeviceItem(
        pk=officer_partition(officer.ref),
        sk=f"txn#{uuid.uuid4()}",
        kind="txn",
        owner=officer.ref,
        data={"agent_id": agent_id, "registrant_id": registrant_id, "individual_id": individual_id, "modality": modality, "status": "open"},
        expires_at=expires,
    )
    item.save(condition=DeviceItem.pk.does_not_exist())
    transaction_id = item.sk.removeprefix("txn#")
    if registrant_id is not None:
        record_access(registrant_id, officer_actor(officer), "assisted.capture_requested", {"transaction_id": transaction_id, "agent_id": agent_id}, request_id)
    return {
        "transaction_id": transaction_id,
        "registrant_id": registrant_id,
        "modality": modality,
        "expires_at": expires.isoformat(),
        "purpose": config.get("SSP_CAPTURE_PURPOSE"),
        "env": config.get("SSP_CAPTURE_ENV"),
        "min_quality": config.get_int("SSP_CAPTURE_MIN_QUALITY"),
    }


def _registrant_for(individual_id: str) -> str | None:
    return find_by_individual_id(individual_id)


def _registrant_proven(officer: StaffCaller, txn_data: dict[str, Any], request_id: str | None) -> str:
    """The person a verified capture proved: the one the transaction named, or, for someone
    who never logged in, a record created now on the officer's word and the capture."""
    if txn_data.get("registrant_id"):
        return str(txn_data["registrant_id"])
    return register_assisted(txn_data["individual_id"], officer_actor(officer), request_id)


# --- capture intake -------------------------------------------------------------------------

PAYLOAD_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["capture_id", "agent_id", "transaction_id", "registrant", "modality", "captured_at", "request", "response"],
    "properties": {
        "capture_id": {"type": "string", "pattern": "^[A-Za-z0-9-]{8,64}$"},
        "agent_id": {"type": "string", "maxLength": 64},
        "transaction_id": {"type": "string", "pattern": "^[A-Za-z0-9-]{4,50}$"},
        "registrant": {"type": "string", "minLength": 1, "maxLength": 64},
        "modality": {"enum": list(MODALITIES)},
        "captured_at": {"type": "string", "maxLength": 40},
        "device": {"type": "object"},
        "request": {
            "type": "object",
            "properties": {
                "bio": {"type": "array", "maxItems": 10, "items": {"type": "object", "properties": {"previousHash": {"type": "string", "maxLength": 128}}}}
            },
        },
        "response": {
            "type": "object",
            "required": ["biometrics"],
            "properties": {
                "biometrics": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 10,
                    "items": {
                        "type": "object",
                        "required": ["data", "hash", "error"],
                        "properties": {
                            "data": {"type": "string", "maxLength": 200_000},
                            "hash": {"type": "string", "maxLength": 128},
                            "sessionKey": {"type": "string", "maxLength": 4096},
                            "thumbprint": {"type": "string", "maxLength": 128},
                            "error": {"type": "object", "properties": {"errorCode": {"type": "string", "maxLength": 8}}},
                        },
                    },
                }
            },
        },
    },
}


class CaptureResult(NamedTuple):
    body: dict[str, Any]
    duplicate: bool


def accept_capture(officer: StaffCaller, envelope: str, request_id: str | None = None) -> CaptureResult:
    """Check a relayed capture and, when the person is who the officer named, open an assisted
    session. A resent envelope (same capture id) gets the first answer again, changing nothing."""
    agent_id = _envelope_agent_id(envelope)
    agent = _usable_agent(officer, agent_id)
    payload = _verified_payload(envelope, agent)
    verifier = configured_verifier()  # a portal without one refuses before consuming anything
    stored = _stored_capture(officer, payload["capture_id"])
    if stored is not None:
        return _replay(stored, agent_id)
    txn = _open_transaction_for(officer, payload, agent_id)
    at = now()
    txn_data = txn.data or {}
    try:
        previous = str(((payload.get("request") or {}).get("bio") or [{}])[0].get("previousHash") or "")
        biometrics = check_biometrics(payload["response"]["biometrics"], payload["transaction_id"], txn_data["modality"], txn.created_at, at, previous)
        outcome = verifier.verify(MatchRequest(txn_data["individual_id"], txn_data["modality"], payload["transaction_id"], previous, tuple(biometrics)))
        _raise_unless_matched(outcome)
    except PortalError as problem:
        try:
            _commit(officer, txn, payload, agent_id, problem, session=None)
        except _LostRace as race:
            return _replay(race.stored, agent_id)
        if txn_data.get("registrant_id"):  # nobody is created for a capture that proved nothing
            _audit(officer, txn_data["registrant_id"], "assisted.identity_not_verified", payload, None, request_id)
        problem.details = {**problem.details, "capture_id": payload["capture_id"]}
        raise
    txn_data = {**txn_data, "registrant_id": _registrant_proven(officer, txn_data, request_id)}
    txn.data = txn_data
    session = assisted.new_session(officer.ref, txn_data["registrant_id"], payload["capture_id"], agent_id)
    try:
        body = _commit(officer, txn, payload, agent_id, None, session=session)
    except _LostRace as race:
        return _replay(race.stored, agent_id)
    _audit(officer, txn_data["registrant_id"], "assisted.identity_verified", payload, session.sk.removeprefix("assist#"), request_id)
    _retain_for_audit(officer, payload["capture_id"], envelope)
    logger.info("capture_verified", extra={"capture_id": payload["capture_id"], "agent_id": agent_id, "officer": officer.ref})
    return CaptureResult(body, duplicate=False)


def _envelope_agent_id(envelope: str) -> str:
    parts = envelope.split(".")
    header: Any = None
    if len(parts) == 3:
        try:
            header = json.loads(base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4)))
        except (ValueError, UnicodeDecodeError):
            header = None
    if not isinstance(header, dict) or header.get("alg") != ENVELOPE_ALG or not isinstance(header.get("kid"), str):
        raise BadRequest("The capture envelope could not be read.", code="envelope_malformed")
    return str(header["kid"])


def _verified_payload(envelope: str, agent: DeviceItem) -> dict[str, Any]:
    # joserfc (and cryptography under it) stay off the cold-start path of every other route.
    from joserfc import jws
    from joserfc.errors import JoseError
    from joserfc.jwk import ECKey

    try:
        registry = jws.JWSRegistry(algorithms=[ENVELOPE_ALG])
        registry.max_payload_length = 250_000  # several device captures, each with its certificates
        verified = jws.deserialize_compact(envelope, ECKey.import_key((agent.data or {})["public_jwk"]), algorithms=[ENVELOPE_ALG], registry=registry)
        payload = json.loads(verified.payload)
    except (JoseError, ValueError, TypeError):
        raise Forbidden("The capture envelope's signature does not match its content.", code="envelope_signature_invalid") from None
    problems = field_errors(payload, PAYLOAD_SCHEMA)
    if problems:
        raise ValidationFailed("The capture envelope is incomplete.", code="envelope_invalid", fields=problems)
    if payload["agent_id"] != agent.sk:
        raise Forbidden("The capture envelope names another agent than the one that signed it.", code="envelope_signature_invalid")
    return dict(payload)


def _stored_capture(officer: StaffCaller, capture_id: str) -> DeviceItem | None:
    try:
        return DeviceItem.get(officer_partition(officer.ref), f"capture#{capture_id}")
    except DeviceItem.DoesNotExist:
        return None


def _replay(stored: DeviceItem, agent_id: str) -> CaptureResult:
    data = stored.data or {}
    if data.get("agent_id") != agent_id:
        raise Conflict("This capture id was already used.", code="capture_id_taken")
    error = data.get("error")
    if error:
        details = {"capture_id": stored.sk.removeprefix("capture#"), "duplicate": True}
        raise STATUS_ERRORS.get(int(error["status"]), PortalError)(error["message"], code=error["code"], details=details)
    return CaptureResult({**data["result"], "duplicate": True}, duplicate=True)


def _open_transaction_for(officer: StaffCaller, payload: dict[str, Any], agent_id: str) -> DeviceItem:
    try:
        txn = DeviceItem.get(officer_partition(officer.ref), f"txn#{payload['transaction_id']}")
    except DeviceItem.DoesNotExist:
        raise NotFound("This capture transaction does not exist.", code="transaction_not_found") from None
    data = txn.data or {}
    if data.get("status") != "open":
        raise Conflict("This capture transaction was already used. Capture again.", code="transaction_used")
    if txn.expires_at is None or _aware(txn.expires_at) <= now():
        raise Conflict("This capture transaction has expired. Capture again.", code="transaction_expired")
    if data.get("agent_id") != agent_id or data.get("individual_id") != payload["registrant"] or data.get("modality") != payload["modality"]:
        raise Conflict("This capture does not belong to the transaction it names.", code="transaction_mismatch")
    return txn


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _raise_unless_matched(outcome: MatchOutcome) -> None:
    if outcome is MatchOutcome.MATCH:
        return
    if outcome is MatchOutcome.HASH_MISMATCH:
        raise ValidationFailed("The capture's hash chain is not consistent.", code="capture_hash_mismatch")
    if outcome is MatchOutcome.UNREADABLE:
        raise ValidationFailed("The capture could not be read by the identity service.", code="capture_unreadable")
    raise ValidationFailed("The person at the device is not the person named. Check the ID number and capture again.", code="identity_not_matched")


def _commit(
    officer: StaffCaller, txn: DeviceItem, payload: dict[str, Any], agent_id: str, problem: PortalError | None, session: DeviceItem | None
) -> dict[str, Any]:
    """Use the transaction, record the outcome (never the biometrics) and open the session, all
    at once: a concurrent second envelope for the same transaction loses with 409."""
    capture_id = payload["capture_id"]
    txn_data = txn.data or {}
    result: dict[str, Any] = {
        "capture_id": capture_id,
        "transaction_id": payload["transaction_id"],
        "registrant_id": txn_data["registrant_id"],
        "outcome": "verified" if problem is None else "rejected",
    }
    if session is not None:
        result["assisted_session"] = assisted.session_view(session)
    record: dict[str, Any] = {"agent_id": agent_id, "transaction_id": payload["transaction_id"], "registrant_id": txn_data["registrant_id"]}
    if problem is None:
        record["result"] = result
    else:
        record["error"] = {"status": problem.status, "code": problem.code, "message": problem.message}
    capture = DeviceItem(
        pk=officer_partition(officer.ref),
        sk=f"capture#{capture_id}",
        kind="capture",
        owner=officer.ref,
        data=record,
        expires_at=now() + CAPTURE_RECORD_LIFETIME,
    )
    # A used transaction keeps no ID number: the capture record and the audit log say who it was.
    txn.data = {k: v for k, v in txn_data.items() if k != "individual_id"} | {"status": "used", "capture_id": capture_id}
    try:
        with transaction() as writes:
            writes.save(txn)
            writes.save(capture, condition=DeviceItem.pk.does_not_exist())
            if session is not None:
                writes.save(session, condition=DeviceItem.pk.does_not_exist())
                opened = {"assisted_session_id": session.sk.removeprefix("assist#")}
                add_event(writes, EventType.ASSISTED_SESSION_OPENED, registrant_id=txn_data["registrant_id"], actor_role="officer", data=opened)
    except TransactWriteError:
        stored = _stored_capture(officer, capture_id)
        if stored is not None:
            raise _LostRace(stored) from None  # the same envelope, sent twice at once
        raise Conflict("This capture transaction was already used. Capture again.", code="transaction_used") from None
    return {**result, "duplicate": False}


class _LostRace(Exception):
    def __init__(self, stored: DeviceItem) -> None:
        super().__init__("capture stored by a concurrent request")
        self.stored = stored


def _audit(officer: StaffCaller, registrant_id: str, action: str, payload: dict[str, Any], session_id: str | None, request_id: str | None) -> None:
    details = {"capture_id": payload["capture_id"], "transaction_id": payload["transaction_id"], "modality": payload["modality"]}
    if session_id:
        details["assisted_session_id"] = session_id
    record_access(registrant_id, officer_actor(officer), action, details, request_id)


def _retain_for_audit(officer: StaffCaller, capture_id: str, envelope: str) -> None:
    """If configured, keep the envelope (its biometrics still encrypted for the ID service) in S3
    with KMS encryption; the bucket's lifecycle rule deletes it after a short time."""
    bucket = config.get("SSP_CAPTURE_AUDIT_BUCKET")
    if not bucket:
        return
    extra: dict[str, str] = {"ServerSideEncryption": "aws:kms"}
    if config.get("SSP_CAPTURE_AUDIT_KMS_KEY_ID"):
        extra["SSEKMSKeyId"] = config.get("SSP_CAPTURE_AUDIT_KMS_KEY_ID")
    boto3.client("s3", region_name=config.region()).put_object(
        Bucket=bucket, Key=f"captures/{officer.ref}/{capture_id}.jws", Body=envelope.encode(), ContentType="application/jose", **extra
    )
