"""One capture from start to answer, as the command line (``capture``) and the local service
(``serve``) both run it: choose a usable device, ask the portal for a transaction, run CAPTURE
with its id, seal the device's answer in an envelope, commit it to the outbox, and send it.

Every way this can stop is a ``Stop`` with an exit code and words for the officer.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from edge_agent import device_info, envelope, sbi
from edge_agent.cloud import Cloud, CloudAnswer, CloudUnreachable
from edge_agent.home import AgentHome, Enrolment
from edge_agent.outbox import Entry, Outbox
from edge_agent.relay import flush

OK, CANNOT, REFUSED, DEVICE, QUEUED, UNREACHABLE = 0, 1, 2, 3, 4, 5
STATUS_ERRORS = {"Busy": "111", "Not Ready": "110", "Not Registered": "100"}


@dataclass(frozen=True)
class Captured:
    """The outbox entry with the portal's answer, and the quality the device reported (to show the officer)."""

    entry: Entry
    quality: float | None
    min_quality: int


class Stop(Exception):
    """Why the agent cannot go on, for the officer; ``device_code`` is the SBI error, if any."""

    def __init__(self, code: int, message: str, device_code: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.device_code = device_code


def enrolment_of(home: AgentHome) -> Enrolment:
    enrolment = home.enrolment()
    if enrolment is None or not home.key_path.exists():
        raise Stop(CANNOT, "This PC is not enrolled yet. Run `enrol --cloud <portal address> --token <staff token>` first.")
    return enrolment


def anchors(named: str | None, home: AgentHome) -> list[Any] | None:
    """The device providers the agent trusts; None when it has no trust store."""
    named = named or os.environ.get("SSP_AGENT_TRUST_STORE")
    path = Path(named).expanduser() if named else home.trust_store_path
    if not named and not path.exists():
        return None
    try:
        return device_info.load_trust_store(path)
    except device_info.TrustStoreUnreadable as problem:
        raise Stop(CANNOT, f"The device trust store could not be read ({problem}).") from None


def scan(home: AgentHome, ports: list[int], trusted: list[Any] | None) -> list[sbi.Device]:
    """Discover the devices and note what was seen (the status report shows it)."""
    found = sbi.discover(ports, anchors=trusted)
    outbox = Outbox(home.outbox_path)
    try:
        outbox.note("devices_seen", json.dumps({"at": time.time(), "devices": [d.summary() for d in found]}))
    finally:
        outbox.close()
    return found


def no_device_message(ports: list[int]) -> str:
    span = f"{min(ports)}-{max(ports)}" if ports else "none"
    return f"No biometric device answered on 127.0.0.1 ports {span}. Check that the device is plugged in and its SBI service is running."


def why_not_usable(device: sbi.Device, trusting: bool) -> str | None:
    """Why a device must not capture, in words for the officer; None when it may."""
    info = device.info
    if info is None:
        return "It did not give its signed device info (MOSIPDINFO). Check that its SBI service is running, then run `devices` again."
    if info.signature == device_info.INVALID:
        return "Its device info is not correctly signed. Do not use it; tell your supervisor."
    status = info.status if info.status != "Ready" else device.status  # either one saying it cannot capture is enough
    if status != "Ready":
        detail = sbi.explain(STATUS_ERRORS[status]) if status in STATUS_ERRORS else f"It reports status {status!r}."
        return f"It is {status.lower()} (its signed device info says {info.status}). {detail}"
    if info.signature == device_info.UNSIGNED:
        return "Its device info is not signed, so it is not registered with its provider. Ask your supervisor to register it."
    if trusting and info.signature == device_info.UNTRUSTED:
        return f"It is not certified by a device provider this agent trusts ({info.device_provider or 'unknown provider'}). Tell your supervisor."
    return None


def device_status(device: sbi.Device) -> str:
    """Ready, Busy, Not Ready or Not Registered: the signed info's word unless discovery says worse."""
    said = device.info.status if device.info else device.status
    return said if said != "Ready" else device.status


def choose_device(found: list[sbi.Device], modality: str, ports: list[int], trusting: bool) -> sbi.Device:
    if not found:
        raise Stop(DEVICE, no_device_message(ports), "106")
    kind = [d for d in found if d.modality == modality]
    if not kind:
        seen = ", ".join(sorted({d.type for d in found}))
        raise Stop(DEVICE, f"No {modality} device was found (found: {seen}). Choose another --modality or connect a {modality} device.", "106")
    usable = [d for d in kind if why_not_usable(d, trusting) is None]
    preferred = [d for d in usable if d.info and d.info.certification == "L1" and d.info.purpose == "Auth"] or usable
    if preferred:
        return preferred[0]
    raise Stop(DEVICE, f"The {modality} device cannot capture now. {why_not_usable(kind[0], trusting)}", STATUS_ERRORS.get(device_status(kind[0])))


def capture_and_send(
    home: AgentHome,
    enrolment: Enrolment,
    cloud: Cloud,
    trusted: list[Any] | None,
    ports: list[int],
    registrant: str,
    modality: str,
    simulated_person: str | None,
    wait: float,
    captured: Callable[[str, sbi.Device], None] | None = None,
) -> Captured:
    """Capture ``registrant`` and relay the envelope; the outbox entry with the portal's answer
    (or still pending when the portal could not be reached within ``wait`` seconds)."""
    device = choose_device(scan(home, ports, trusted), modality, ports, trusting=trusted is not None)
    try:
        txn = cloud.open_transaction(enrolment.agent_id, registrant, modality)
    except CloudUnreachable as problem:
        raise Stop(UNREACHABLE, f"The portal could not be reached ({problem}); a capture needs it to start. Check the network and try again.") from None
    except CloudAnswer as refused:
        raise Stop(REFUSED, f"The portal refused to start a capture: {refused}.") from refused
    min_quality = int(txn.get("min_quality", 60))
    request = sbi.capture_request(device, txn["transaction_id"], txn["env"], txn["purpose"], enrolment.cloud, min_quality)
    custom = {"simulatedPerson": simulated_person} if simulated_person else None
    try:
        answer = sbi.capture(device, request, custom)
    except Exception as problem:  # noqa: BLE001 - any failure to talk to the device is explained the same way
        raise Stop(DEVICE, f"The {modality} device stopped answering during the capture ({type(problem).__name__}). Check it and try again.", "106") from None
    errors = sbi.device_errors(answer)
    if errors:
        raise Stop(DEVICE, sbi.explain(errors[0]), errors[0])
    capture_id = str(uuid.uuid4())
    payload = {
        "capture_id": capture_id,
        "agent_id": enrolment.agent_id,
        "transaction_id": txn["transaction_id"],
        "registrant": registrant,
        "modality": modality,
        "captured_at": datetime.now(UTC).isoformat(),
        "device": {"type": device.type, "device_id": device.device_id, "device_code": device.device_code, "serial_no": device.serial_no},
        "request": request,
        "response": answer,
    }
    sealed = envelope.seal(envelope.load_key(home.key_path), enrolment.agent_id, payload)
    outbox = Outbox(home.outbox_path)
    try:
        outbox.put(capture_id, txn["transaction_id"], modality, sealed)
        if captured:
            captured(capture_id, device)
        flush(outbox, cloud, wait=wait, until_answered=capture_id)
        entry = outbox.get(capture_id)
    finally:
        outbox.close()
    assert entry is not None
    return Captured(entry, sbi.quality_of(answer), min_quality)
