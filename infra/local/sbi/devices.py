"""The simulated devices (a finger, a face and an iris device) and SBI's answers for them.

Plain functions over plain state, no HTTP: ``server.py`` routes requests here. Each device's
behaviour is what MOSIP's mock device service lets a tester set: status, quality score, delay,
"no biometric detected", plus which sample person stands at the device.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from infra.local.sbi.biometrics import EMPTY_HASH, b64url, chain_hash, encrypt_for_partner, stranger_record, synthetic_record
from infra.local.sbi.pki import KeyPair, SimulatorPki

SPEC_VERSION = "0.9.5"
SERVICE_VERSION = "1.0.0"
STATUSES = ("Ready", "Busy", "Not Ready", "Not Registered")
ENVS = ("Staging", "Developer", "Pre-Production", "Production")
TRANSACTION_ID = re.compile(r"^[A-Za-z0-9-]{4,50}$")
MAX_COUNT = {"Finger": 10, "Face": 1, "Iris": 2}

ERRORS = {
    "0": "Success",
    "100": "Device not registered",
    "101": "No biometric detected",
    "106": "Device not found",
    "109": "Count not supported",
    "110": "Device not ready",
    "111": "Device busy",
    "112": "Invalid transaction id",
    "501": "Invalid request",
    "502": "Purpose not supported by this method",
}


def error(code: str) -> dict[str, str]:
    return {"errorCode": code, "errorInfo": ERRORS[code]}


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Device:
    type: str  # Finger | Face | Iris
    device_id: str
    sub_type: str
    sub_ids: list[str]
    status: str = "Ready"
    quality: int = 85
    delay_ms: int = 0
    no_biometric: bool = False
    person: str | None = None  # individual_id of the sample person at the device
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def reported_status(self) -> str:
        """What discovery and info say: the status an admin set, or Busy while a capture runs.
        A capture never changes ``status`` itself, so an admin's setting outlives it."""
        if self.status == "Ready" and self.lock.locked():
            return "Busy"
        return self.status

    @property
    def serial_no(self) -> str:
        return f"SSPSIM-{self.type.upper()}-0001"

    @property
    def device_code(self) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"ssp-sbi-simulator:{self.serial_no}"))

    def settings(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "lock"}


def default_devices() -> list[Device]:
    return [
        Device("Finger", "1", "Slap", ["1", "2", "3"]),
        Device("Face", "2", "Full face", ["0"]),
        Device("Iris", "3", "Double", ["1", "2"]),
    ]


class SimulatedDevices:
    """The devices of one simulator and what they answer."""

    def __init__(self, pki: SimulatorPki, callback_url: str = "") -> None:
        self.pki = pki
        self.callback_url = callback_url
        self.devices = default_devices()
        self._state_lock = threading.Lock()

    # --- admin controls -------------------------------------------------------------------

    def select(self, device_type: str | None) -> list[Device]:
        if not device_type or device_type == "Biometric Device":
            return list(self.devices)
        return [d for d in self.devices if d.type.lower() == device_type.lower()]

    def set(self, device_type: str | None, **changes: Any) -> list[dict[str, Any]]:
        chosen = self.select(device_type)
        if not chosen:
            raise ValueError("unknown device type")
        with self._state_lock:
            for device in chosen:
                for name, value in changes.items():
                    setattr(device, name, value)
        return [d.settings() for d in chosen]

    def reset(self) -> None:
        with self._state_lock:
            self.devices = default_devices()

    # --- SBI ------------------------------------------------------------------------------

    def discover(self, device_type: str | None) -> list[dict[str, Any]]:
        return [self._discovery_entry(d) for d in self.select(device_type)]

    def info(self) -> list[dict[str, Any]]:
        answers = []
        for device in self.devices:
            payload = {**self._discovery_entry(device), "firmware": "SSPSIM-FW-1.0", "env": "Developer"}
            payload.pop("error")
            if device.reported_status == "Not Registered":
                answers.append({"deviceInfo": b64url(json.dumps(payload).encode()), "error": error("100")})
            else:
                payload["digitalId"] = self._digital_id_jws(device)
                answers.append({"deviceInfo": sign_jws(payload, self.pki.devices[device.type]), "error": error("0")})
        return answers

    def capture(self, request: Any, purpose: str) -> dict[str, Any]:
        """CAPTURE (purpose Auth, encrypted bioValue) or RCAPTURE (Registration, plain)."""
        if not isinstance(request, dict) or not isinstance(request.get("bio"), list) or not request["bio"]:
            return _failed("501")
        if request.get("purpose") != purpose:
            return _failed("502")
        if not isinstance(request.get("transactionId"), str) or not TRANSACTION_ID.match(request["transactionId"]):
            return _failed("112")
        if request.get("env") not in ENVS:
            return _failed("501")
        biometrics: list[dict[str, Any]] = []
        for bio in request["bio"]:
            outcome = self._capture_one(request, bio, purpose, biometrics[-1]["hash"] if biometrics else None)
            if outcome[0]["error"]["errorCode"] != "0":
                return {"biometrics": outcome[:1]}
            biometrics.extend(outcome)
        return {"biometrics": biometrics}

    def _capture_one(self, request: dict[str, Any], bio: Any, purpose: str, chained_from: str | None) -> list[dict[str, Any]]:
        if not isinstance(bio, dict):
            return [_failed_entry("501")]
        device = next((d for d in self.devices if d.type == bio.get("type") and d.device_id == str(bio.get("deviceId"))), None)
        if device is None:
            return [_failed_entry("106")]
        count = bio.get("count", 1)
        if not isinstance(count, int) or not 1 <= count <= MAX_COUNT[device.type]:
            return [_failed_entry("109")]
        status_error = {"Not Registered": "100", "Not Ready": "110", "Busy": "111"}.get(device.status)
        if status_error:
            return [_failed_entry(status_error)]
        if not device.lock.acquire(blocking=False):
            return [_failed_entry("111")]  # another capture is running on this device
        try:
            if device.delay_ms:
                time.sleep(device.delay_ms / 1000)
            if device.status == "Not Ready":
                return [_failed_entry("110")]  # unplugged (set Not Ready) while the capture ran
            if device.no_biometric:
                return [_failed_entry("101")]
            person = _person_from(request.get("customOpts")) or device.person
            previous = chained_from or str(bio.get("previousHash") or "") or EMPTY_HASH
            sub_types = bio.get("bioSubType") or ["UNKNOWN"]
            entries = []
            for index in range(count):
                record = synthetic_record(person, device.type) if person else stranger_record(device.type)
                sub_type = sub_types[index] if index < len(sub_types) and isinstance(sub_types[index], str) else "UNKNOWN"
                entry = self._biometric(device, request, bio, record, previous, purpose, None if device.type == "Face" else sub_type)
                previous = entry["hash"]
                entries.append(entry)
            return entries
        finally:
            device.lock.release()

    def _biometric(
        self, device: Device, request: dict[str, Any], bio: dict[str, Any], record: bytes, previous: str, purpose: str, sub_type: str | None
    ) -> dict[str, Any]:
        timestamp = now_iso()
        data: dict[str, Any] = {
            "digitalId": self._digital_id_jws(device),
            "deviceCode": device.device_code,
            "deviceServiceVersion": SERVICE_VERSION,
            "bioType": device.type,
            "bioSubType": sub_type,
            "purpose": purpose,
            "env": request["env"],
            "domainUri": request.get("domainUri"),
            "transactionId": request["transactionId"],
            "timestamp": timestamp,
            "requestedScore": bio.get("requestedScore"),
            "qualityScore": device.quality,
        }
        session_key = thumbprint = ""
        if purpose == "Auth":
            data["bioValue"], session_key = encrypt_for_partner(record, self.pki.ida_partner.certificate, timestamp)
            thumbprint = self.pki.ida_partner.thumbprint
        else:
            data["bioValue"] = b64url(record)
        return {
            "specVersion": SPEC_VERSION,
            "data": sign_jws(data, self.pki.devices[device.type]),
            "hash": chain_hash(previous, record),
            "sessionKey": session_key,
            "thumbprint": thumbprint,
            "error": error("0"),
        }

    def _discovery_entry(self, device: Device) -> dict[str, Any]:
        status = device.reported_status
        registered = status != "Not Registered"
        return {
            "deviceId": device.device_id,
            "deviceStatus": status,
            "certification": "L1",
            "serviceVersion": SERVICE_VERSION,
            "deviceSubId": device.sub_ids,
            "callbackId": self.callback_url,
            "digitalId": b64url(json.dumps(self._digital_id(device)).encode()),
            "deviceCode": device.device_code if registered else "",
            "specVersion": [SPEC_VERSION],
            "purpose": "Auth" if registered else "",
            "error": error("0"),
        }

    def _digital_id(self, device: Device) -> dict[str, Any]:
        return {
            "serialNo": device.serial_no,
            "make": "SSP Simulator",
            "model": f"SIM-{device.type.upper()}",
            "type": device.type,
            "deviceSubType": device.sub_type,
            "deviceProvider": "SSP Simulator Device Provider",
            "deviceProviderId": "SSP-SIM",
            "dateTime": now_iso(),
        }

    def _digital_id_jws(self, device: Device) -> str:
        return sign_jws(self._digital_id(device), self.pki.ftm)


def _person_from(custom_opts: Any) -> str | None:
    if isinstance(custom_opts, dict) and isinstance(custom_opts.get("simulatedPerson"), str):
        return str(custom_opts["simulatedPerson"])
    return None


def _failed_entry(code: str) -> dict[str, Any]:
    return {"specVersion": SPEC_VERSION, "data": "", "hash": "", "sessionKey": "", "thumbprint": "", "error": error(code)}


def _failed(code: str) -> dict[str, Any]:
    return {"biometrics": [_failed_entry(code)]}


def sign_jws(payload: dict[str, Any], signer: KeyPair) -> str:
    """Compact RS256 JWS with the signer's certificate in ``x5c``, as SBI devices sign."""
    header = {"alg": "RS256", "typ": "JWT", "x5c": [base64.b64encode(signer.certificate_der).decode()]}
    signing_input = b64url(json.dumps(header, separators=(",", ":")).encode()) + "." + b64url(json.dumps(payload, separators=(",", ":")).encode())
    signature = signer.key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return signing_input + "." + b64url(signature)
