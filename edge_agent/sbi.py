"""Talking to the MOSIP SBI device services on this PC (127.0.0.1, ports 4501-4600).

Discovery asks every port in parallel with a short timeout; a port with nothing listening
answers "connection refused" at once, so a full scan takes about one timeout at most. Then
each service that answered is asked for its devices' signed info (``MOSIPDINFO /info``, see
``device_info``), which is what the agent trusts about a device's status and make.
"""

from __future__ import annotations

import base64
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from edge_agent.device_info import DeviceInfo, read

HOST = "127.0.0.1"
DEFAULT_PORTS = range(4501, 4601)
SCAN_TIMEOUT = 1.5
CAPTURE_TIMEOUT = 30.0
BIO_TYPES = {"finger": "Finger", "face": "Face", "iris": "Iris"}

# What each SBI error means to the officer, and what to do about it.
EXPLANATIONS = {
    "100": "The device is not registered with its provider. Ask your supervisor to register it.",
    "101": "No biometric was detected. Ask the person to place their finger, face or eye correctly on the device and try again.",
    "102": "The device could not read the biometric. Clean the sensor and try again.",
    "103": "The device reports that it was tampered with. Do not use it; tell your supervisor.",
    "104": "The device cannot reach its management server. Check the PC's network and try again.",
    "105": "The person's position is not right (orientation). Help them adjust and try again.",
    "106": "The device was not found. Check it is plugged in, then run `devices` again.",
    "107": "The device's key has expired. Ask your supervisor to renew the device's registration.",
    "108": "The device lacks the key for this portal's domain. Ask your supervisor to register it.",
    "109": "The device cannot capture that many at once.",
    "110": "The device is not ready. Wait a moment and try again.",
    "111": "The device is busy with another capture. Wait for it to finish and try again.",
    "112": "The device refused the transaction id. Start the capture again.",
}


def explain(code: str) -> str:
    if code in EXPLANATIONS:
        return EXPLANATIONS[code]
    return f"The device reported error {code}. Check the device and try again."


@dataclass
class Device:
    port: int
    device_id: str
    status: str
    certification: str
    purpose: str
    type: str
    sub_type: str
    device_code: str
    make: str = ""
    model: str = ""
    serial_no: str = ""
    raw: dict[str, Any] = field(default_factory=dict, repr=False)
    info: DeviceInfo | None = None  # from MOSIPDINFO, once read

    @property
    def modality(self) -> str:
        return self.type.lower()

    def summary(self) -> dict[str, Any]:
        return {
            "port": self.port,
            "type": self.type,
            "device_id": self.device_id,
            "status": self.status,
            "certification": self.certification,
            "purpose": self.purpose,
            "make": self.make,
            "model": self.model,
            "serial_no": self.serial_no,
            "info": self.info.summary() if self.info else None,
        }


def _session() -> Any:
    import requests

    session = requests.Session()
    session.trust_env = False  # never send device traffic through a proxy
    return session


def _request(method: str, port: int, path: str, body: Any, timeout: float) -> Any:
    response = _session().request(method, f"http://{HOST}:{port}{path}", json=body, timeout=timeout)
    return response.json()


def discover(ports: range | list[int] = DEFAULT_PORTS, timeout: float = SCAN_TIMEOUT, anchors: list[Any] | None = None) -> list[Device]:
    """Every device any SBI service on ``ports`` reports, in port order, with its signed info
    (checked against ``anchors``, the device providers the agent trusts, when there are any)."""
    ports = list(ports)
    with ThreadPoolExecutor(max_workers=min(32, max(1, len(ports)))) as pool:
        found = [device for devices in pool.map(lambda p: _discover_port(p, timeout), ports) for device in devices]
        answering = sorted({device.port for device in found})
        infos = dict(zip(answering, pool.map(lambda p: _info_port(p, timeout, anchors), answering), strict=True))
    for device in found:
        device.info = infos[device.port].get(device.device_id)
    return found


def _discover_port(port: int, timeout: float) -> list[Device]:
    import requests

    try:
        answer = _request("MOSIPDISC", port, "/device", {"type": "Biometric Device"}, timeout)
    except (requests.RequestException, ValueError):
        return []
    if not isinstance(answer, list):
        return []
    return [device for entry in answer if isinstance(entry, dict) and (device := _device(port, entry)) is not None]


def _device(port: int, entry: dict[str, Any]) -> Device | None:
    digital_id = _unsigned_payload(str(entry.get("digitalId") or ""))
    if not entry.get("deviceId") or not digital_id.get("type"):
        return None
    return Device(
        port=port,
        device_id=str(entry["deviceId"]),
        status=str(entry.get("deviceStatus") or ""),
        certification=str(entry.get("certification") or ""),
        purpose=str(entry.get("purpose") or ""),
        type=str(digital_id.get("type")),
        sub_type=str(digital_id.get("deviceSubType") or ""),
        device_code=str(entry.get("deviceCode") or ""),
        make=str(digital_id.get("make") or ""),
        model=str(digital_id.get("model") or ""),
        serial_no=str(digital_id.get("serialNo") or ""),
        raw=entry,
    )


def _unsigned_payload(value: str) -> dict[str, Any]:
    """``digitalId`` in discovery is base64url JSON, or a JWS whose payload we only read here
    (the portal verifies signatures; the agent only needs to know what the device is)."""
    part = value.split(".")[1] if value.count(".") == 2 else value
    try:
        decoded = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (ValueError, UnicodeDecodeError):
        return {}
    return decoded if isinstance(decoded, dict) else {}


def info(port: int, timeout: float = SCAN_TIMEOUT) -> list[dict[str, Any]]:
    answer = _request("MOSIPDINFO", port, "/info", {}, timeout)
    return answer if isinstance(answer, list) else []


def _info_port(port: int, timeout: float, anchors: list[Any] | None) -> dict[str, DeviceInfo]:
    """The signed info of each device of one service, by device id; empty when it cannot be read."""
    import requests

    try:
        entries = info(port, timeout)
    except (requests.RequestException, ValueError):
        return {}
    return {parsed.device_id: parsed for entry in entries if (parsed := read(entry, anchors)) is not None}


def capture_request(device: Device, transaction_id: str, env: str, purpose: str, domain_uri: str, requested_score: int) -> dict[str, Any]:
    bio: dict[str, Any] = {
        "type": device.type,
        "count": 1,
        "requestedScore": requested_score,
        "deviceId": device.device_id,
        "deviceSubId": 0,
        "previousHash": "",
    }
    if device.type != "Face":
        bio["bioSubType"] = ["UNKNOWN"]
    return {
        "env": env,
        "purpose": purpose,
        "specVersion": "0.9.5",
        "timeout": int(CAPTURE_TIMEOUT * 1000),
        "captureTime": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "domainUri": domain_uri,
        "transactionId": transaction_id,
        "bio": [bio],
        "customOpts": None,
    }


def capture(device: Device, request: dict[str, Any], custom_opts: dict[str, Any] | None = None) -> dict[str, Any]:
    """CAPTURE (authentication) on the device's service; the answer exactly as the device gave it."""
    body = dict(request, customOpts=custom_opts) if custom_opts else request
    answer = _request("CAPTURE", device.port, "/capture", body, CAPTURE_TIMEOUT + 5)
    if not isinstance(answer, dict) or not isinstance(answer.get("biometrics"), list):
        raise ValueError("the device's answer is not an SBI capture response")
    return answer


def device_errors(response: dict[str, Any]) -> list[str]:
    """The SBI error codes in a capture response other than success."""
    codes = [str((b.get("error") or {}).get("errorCode", "")) for b in response.get("biometrics", []) if isinstance(b, dict)]
    return [c for c in codes if c != "0"] or ([] if codes else ["101"])


def quality_of(response: dict[str, Any]) -> float | None:
    """The lowest ``qualityScore`` the device put in its signed data, read without verifying
    (only to show the officer; the portal verifies and decides)."""
    scores = []
    for entry in response.get("biometrics", []):
        data = _unsigned_payload(str((entry or {}).get("data") or "")) if isinstance(entry, dict) else {}
        try:
            scores.append(float(data["qualityScore"]))
        except (KeyError, TypeError, ValueError):
            continue
    return min(scores) if scores else None
