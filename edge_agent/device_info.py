"""A device's signed info (``MOSIPDINFO /info``): what it says it is, and whether that is signed.

Discovery is unsigned: any program on the PC can answer it. ``deviceInfo`` is a JWS signed by
the device key (its certificate in ``x5c``), and the ``digitalId`` inside it is signed by the
device's trusted module; a device that is not registered answers plain base64 instead. The agent
reads the status, certification and make from there, and checks the signatures:

- ``trusted``: both signatures verify and their certificates chain to a device provider in the
  agent's trust store;
- ``untrusted``: they verify, but not up to a provider the agent trusts;
- ``signed``: they verify against their own certificates (no trust store to go further);
- ``unsigned``: plain base64 (a device that is not registered);
- ``invalid``: a signature or certificate that does not verify, or info that cannot be read.

The portal checks every capture against its own trust store whatever the agent saw; this is so
the officer learns before capturing that a device will not do.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ALGORITHMS = ("RS256", "PS256", "ES256")
MAX_CHAIN = 4
TRUSTED, UNTRUSTED, SIGNED, UNSIGNED, INVALID = "trusted", "untrusted", "signed", "unsigned", "invalid"
RANK = {TRUSTED: 0, SIGNED: 1, UNTRUSTED: 2, UNSIGNED: 3, INVALID: 4}


@dataclass(frozen=True)
class DeviceInfo:
    device_id: str
    status: str
    certification: str
    purpose: str
    env: str
    firmware: str
    type: str
    make: str
    model: str
    serial_no: str
    device_provider: str
    signature: str
    error_code: str

    def summary(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "certification": self.certification,
            "purpose": self.purpose,
            "env": self.env,
            "firmware": self.firmware,
            "make": self.make,
            "model": self.model,
            "serial_no": self.serial_no,
            "device_provider": self.device_provider,
            "signature": self.signature,
            "error_code": self.error_code,
        }


class TrustStoreUnreadable(Exception):
    pass


def load_trust_store(path: Path) -> list[Any]:
    """The device-provider certificates (PEM) the agent trusts."""
    from cryptography import x509

    try:
        anchors = x509.load_pem_x509_certificates(path.read_bytes())
    except (OSError, ValueError) as problem:
        raise TrustStoreUnreadable(f"{path}: {type(problem).__name__}") from None
    return list(anchors)


def read(entry: Any, anchors: list[Any] | None) -> DeviceInfo | None:
    """One entry of a MOSIPDINFO answer; None when it names no device at all."""
    if not isinstance(entry, dict):
        return None
    error_code = str(entry["error"].get("errorCode", "0")) if isinstance(entry.get("error"), dict) else "0"
    payload, signature = _payload(str(entry.get("deviceInfo") or ""), anchors)
    if not payload or not payload.get("deviceId"):
        return None
    digital_id, digital_signature = _payload(str(payload.get("digitalId") or ""), anchors)
    signature = max(signature, digital_signature, key=RANK.__getitem__)
    return DeviceInfo(
        device_id=str(payload["deviceId"]),
        status=str(payload.get("deviceStatus") or ""),
        certification=str(payload.get("certification") or ""),
        purpose=str(payload.get("purpose") or ""),
        env=str(payload.get("env") or ""),
        firmware=str(payload.get("firmware") or ""),
        type=str(digital_id.get("type") or ""),
        make=str(digital_id.get("make") or ""),
        model=str(digital_id.get("model") or ""),
        serial_no=str(digital_id.get("serialNo") or ""),
        device_provider=str(digital_id.get("deviceProvider") or ""),
        signature=signature,
        error_code=error_code,
    )


def _payload(token: str, anchors: list[Any] | None) -> tuple[dict[str, Any], str]:
    """What a signed (JWS) or unregistered (plain base64 JSON) device token says, and how far its
    signature goes."""
    if token.count(".") == 2:
        return _signed_payload(token, anchors)
    return _b64_json(token), UNSIGNED


def _b64_json(value: str) -> dict[str, Any]:
    try:
        decoded = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
    except (ValueError, UnicodeDecodeError):
        return {}
    return decoded if isinstance(decoded, dict) else {}


def _signed_payload(token: str, anchors: list[Any] | None) -> tuple[dict[str, Any], str]:
    """The JWS's payload (read even when its signature fails, to say what the device claims)
    and how far its signature goes."""
    header_part, payload_part, _ = token.split(".")
    payload = _b64_json(payload_part)
    header = _b64_json(header_part)
    x5c = header.get("x5c")
    if header.get("alg") not in ALGORITHMS or not isinstance(x5c, list) or not 1 <= len(x5c) <= MAX_CHAIN:
        return payload, INVALID
    chain = _certificates(x5c)
    if chain is None or not _signature_verifies(token, str(header["alg"]), chain[0]):
        return payload, INVALID
    if not all(_issued_by(child, parent) for child, parent in zip(chain, chain[1:], strict=False)):
        return payload, INVALID
    if anchors is None:
        return payload, SIGNED
    top = chain[-1]
    return payload, TRUSTED if any(_same(top, anchor) or _issued_by(top, anchor) for anchor in anchors) else UNTRUSTED


def _certificates(x5c: list[Any]) -> list[Any] | None:
    from cryptography import x509

    try:
        chain = [x509.load_der_x509_certificate(base64.b64decode(str(c), validate=True)) for c in x5c]
    except ValueError:
        return None
    at = datetime.now(UTC)
    if not all(c.not_valid_before_utc <= at <= c.not_valid_after_utc for c in chain):
        return None
    return chain


def _signature_verifies(token: str, alg: str, certificate: Any) -> bool:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from joserfc import jws
    from joserfc.errors import JoseError
    from joserfc.jwk import ECKey, RSAKey

    public = certificate.public_key()
    pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    key: Any
    if isinstance(public, rsa.RSAPublicKey):
        key = RSAKey.import_key(pem)
    elif isinstance(public, ec.EllipticCurvePublicKey):
        key = ECKey.import_key(pem)
    else:
        return False
    registry = jws.JWSRegistry(algorithms=[alg])
    registry.max_header_length = 16_000  # x5c carries certificates
    registry.max_payload_length = 200_000
    try:
        jws.deserialize_compact(token, key, algorithms=[alg], registry=registry)
    except (JoseError, ValueError, TypeError):
        return False
    return True


def _issued_by(child: Any, parent: Any) -> bool:
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature

    try:
        if not parent.extensions.get_extension_for_class(x509.BasicConstraints).value.ca:
            return False
        child.verify_directly_issued_by(parent)
    except (x509.ExtensionNotFound, ValueError, TypeError, InvalidSignature):
        return False
    return True


def _same(certificate: Any, anchor: Any) -> bool:
    from cryptography.hazmat.primitives import serialization

    return bool(certificate.public_bytes(serialization.Encoding.DER) == anchor.public_bytes(serialization.Encoding.DER))
