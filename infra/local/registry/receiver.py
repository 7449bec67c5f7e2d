"""The sample registry's receiving end: verify a Standard Webhooks delivery, apply it once, keep it.

A delivery is applied only when its signature verifies against one of the registry's secrets
(two during a rotation) with the ``standardwebhooks`` library, whose timestamp check (5 minutes
either way) refuses a captured delivery sent again later. A ``webhook-id`` already applied is
acknowledged (200) and not applied again: the portal delivers at least once and retries with the
same id. What the registry holds (``beneficiaries.json``), the ids it has seen and its log live
in its data folder, written whole and renamed, so a crash never leaves half a file.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

MAX_BODY = 1_000_000
SEEN_KEPT = 10_000
LOG_KEPT = 200
# What the registry keeps of a document: never the link (it lasts minutes; a real registry fetches at once).
DOCUMENT_FIELDS = ("document_id", "kind", "file_name", "content_type", "size", "sha256")


class Verdict(NamedTuple):
    status: int
    outcome: str  # applied | duplicate | refused
    detail: str


class Registry:
    """What the sample registry holds, and how a delivery changes it. Thread-safe."""

    def __init__(self, folder: Path, secrets_file: Path, clock: Callable[[], datetime] | None = None) -> None:
        self.folder = folder
        self.secrets_file = secrets_file
        self.clock = clock or (lambda: datetime.now(UTC))
        self.lock = threading.RLock()  # a delivery notes its verdict while holding it
        folder.mkdir(parents=True, exist_ok=True)
        self.state: dict[str, Any] = self._load("beneficiaries.json", {"enrolments": {}, "applications": {}})
        self.seen: list[str] = self._load("seen.json", [])
        self.log: list[dict[str, Any]] = self._load("log.json", [])

    # --- receiving -------------------------------------------------------------------------------

    def receive(self, body: bytes, headers: dict[str, str]) -> Verdict:
        webhook_id = headers.get("webhook-id", "")[:100]
        try:
            self._verify(body, headers)
        except (WebhookVerificationError, ValueError, TypeError) as error:
            return self._note(Verdict(401, "refused", f"signature not verified: {_reason(error)}"), webhook_id, None)
        try:
            payload = json.loads(body)
        except ValueError:
            return self._note(Verdict(400, "refused", "signature verified; the body is not JSON"), webhook_id, None)
        kind = payload.get("type") if isinstance(payload, dict) else None
        if not isinstance(kind, str) or not isinstance(payload.get("data"), dict):
            return self._note(Verdict(400, "refused", "signature verified; not a Standard Webhooks body"), webhook_id, None)
        with self.lock:
            if webhook_id in self.seen:
                return self._note(Verdict(200, "duplicate", "signature verified; this webhook-id was applied before: not applied again"), webhook_id, kind)
            applied = self._apply(kind, payload["data"])
            self.seen = [*self.seen, webhook_id][-SEEN_KEPT:]
            self._save("beneficiaries.json", self.state)
            self._save("seen.json", self.seen)
        return self._note(Verdict(200, "applied", f"signature verified; {applied}"), webhook_id, kind)

    def secrets(self) -> list[str]:
        """The secrets deliveries may be signed with (newest first); re-read at each delivery, so
        a rotation written by the seeding reaches a running registry."""
        try:
            listed = json.loads(self.secrets_file.read_text())
        except (OSError, ValueError):
            return []
        return [s for s in listed if isinstance(s, str) and s] if isinstance(listed, list) else []

    def _verify(self, body: bytes, headers: dict[str, str]) -> None:
        secrets = self.secrets()
        if not secrets:
            raise WebhookVerificationError("the registry has no secret yet")
        last: Exception = WebhookVerificationError("No matching signature found")
        for secret in secrets:
            try:
                Webhook(secret).verify(body, headers, json_parse=False)
                return
            except (WebhookVerificationError, ValueError, UnicodeDecodeError) as error:  # a malformed header is a ValueError
                last = error
        raise last

    # --- applying --------------------------------------------------------------------------------

    def _apply(self, kind: str, data: dict[str, Any]) -> str:
        application = data.get("application") or {}
        application_id = str(application.get("application_id") or "")
        if application_id and not self._in_order(application_id, application.get("sequence")):
            return "an older change of this application than one already applied: skipped"
        if kind == "application.enrolled":
            self.state["enrolments"][application_id] = {
                "registrant_id": data.get("registrant_id"),
                "application": application,
                "program": data.get("program") or {},
                "person": data.get("person") or {},
                "household": data.get("household") or [],
                "answers": data.get("labelled_answers") or [],
                "group_members": data.get("group_members") or [],
                "documents": [{k: d.get(k) for k in DOCUMENT_FIELDS} for d in data.get("documents") or []],
                "status": "enrolled",
                "received_at": self.clock().isoformat(),
            }
            return "beneficiary enrolled"
        if kind in {"application.submitted", "application.decided", "application.withdrawn"}:
            status = {"application.submitted": "submitted", "application.withdrawn": "withdrawn"}.get(kind) or str(data.get("decision"))
            reference = application.get("reference")
            self.state["applications"][application_id] = {"registrant_id": data.get("registrant_id"), "status": status, "reference": reference}
            if kind == "application.withdrawn" and application_id in self.state["enrolments"]:
                self.state["enrolments"][application_id]["status"] = "withdrawn"
            return f"application {status}"
        if kind == "registrant.details_changed":
            changed = self._each_enrolment_of(data.get("registrant_id"), lambda e: _merge_details(e, data.get("details") or {}))
            return f"details updated in {changed} enrolment(s)"
        if kind == "consent.withdrawn":
            removed = [str(f) for f in data.get("removed_fields") or []]
            changed = self._each_enrolment_of(data.get("registrant_id"), lambda e: _remove_details(e, removed))
            return f"consent withdrawn: {len(removed)} field(s) removed from {changed} enrolment(s)"
        if kind == "household.changed":
            members = [m for m in data.get("household") or [] if isinstance(m, dict)]
            changed = self._each_enrolment_of(data.get("registrant_id"), lambda e: e.update(household=members))
            return f"household updated ({len(members)} member(s)) in {changed} enrolment(s)"
        return "type not handled by this registry: kept in the log only"

    def _in_order(self, application_id: str, sequence: Any) -> bool:
        """Apply an application's events in their order: a lower sequence than one applied is old."""
        if not isinstance(sequence, int):
            return True
        sequences = self.state.setdefault("sequences", {})
        if sequence < int(sequences.get(application_id, 0)):
            return False
        sequences[application_id] = sequence
        return True

    def _each_enrolment_of(self, registrant_id: Any, change: Callable[[dict[str, Any]], None]) -> int:
        found = [e for e in self.state["enrolments"].values() if e.get("registrant_id") == registrant_id]
        for enrolment in found:
            change(enrolment)
        return len(found)

    # --- keeping ---------------------------------------------------------------------------------

    def _note(self, verdict: Verdict, webhook_id: str, kind: str | None) -> Verdict:
        entry = {"at": self.clock().isoformat(), "webhook_id": webhook_id, "type": kind, **verdict._asdict()}
        with self.lock:
            self.log = [*self.log, entry][-LOG_KEPT:]
            self._save("log.json", self.log)
        return verdict

    def snapshot(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        with self.lock:
            return json.loads(json.dumps(self.state)), list(self.log)

    def _load(self, name: str, default: Any) -> Any:
        try:
            return json.loads((self.folder / name).read_text())
        except (OSError, ValueError):
            return default

    def _save(self, name: str, value: Any) -> None:
        path = self.folder / name
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(value, ensure_ascii=False, indent=1))
        os.replace(temporary, path)


def _merge_details(enrolment: dict[str, Any], details: dict[str, Any]) -> None:
    held = enrolment.setdefault("person", {}).setdefault("details", {})
    for name, detail in details.items():
        if detail is None:
            held.pop(name, None)
        else:
            held[name] = detail


def _remove_details(enrolment: dict[str, Any], removed: list[str]) -> None:
    held = enrolment.setdefault("person", {}).setdefault("details", {})
    for name in removed:
        held.pop(name, None)
    enrolment["consent_withdrawn"] = True


def _reason(error: Exception) -> str:
    text = str(error) or type(error).__name__
    return text if isinstance(error, WebhookVerificationError) else "malformed signature headers"
