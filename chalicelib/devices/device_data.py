"""Checking what a biometric device produced, before anyone decides a match.

A capture's ``data`` (and the ``digitalId`` inside it) is a JWS whose ``x5c`` header carries the
device's certificate; that certificate must chain to a device-provider certificate in the trust
store (``SSP_DEVICE_TRUST_STORE``). Then the fields SBI puts in each capture are held against
the transaction and the configured expectations. Each failure has its own error code.

SBI's hash chain (``hash = SHA256(previousHash || SHA256(record))``) is over the *decrypted*
biometric record, which the portal never sees: here only its form is checked (each link is a
SHA-256 in hex, the chain starts from one). Checking the links themselves is the match
verifier's duty (``verifiers.MatchVerifier``), with ``hash_chain_fits`` once it has the records.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from chalicelib import config
from chalicelib.errors import ValidationFailed

DEVICE_ALGS = ("RS256", "PS256", "ES256")
MAX_CHAIN = 4
CLOCK_SKEW = timedelta(seconds=30)
HEX_HASH = re.compile(r"^[0-9A-Fa-f]{64}$")
EMPTY_HASH = hashlib.sha256(b"").hexdigest().upper()
BIO_TYPES = {"finger": "Finger", "face": "Face", "iris": "Iris"}


class CapturedBiometric(NamedTuple):
    """One verified biometric of a capture: the device-signed payload and SBI's envelope fields.
    Held in memory for the length of one request; never stored."""

    data: dict[str, Any]
    hash: str
    session_key: str
    thumbprint: str


def rejected(code: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, code=code)


def check_biometrics(
    biometrics: list[dict[str, Any]], transaction_id: str, modality: str, transaction_opened: datetime, at: datetime, previous_hash: str = ""
) -> list[CapturedBiometric]:
    """Verify every biometric of a capture response; raise the first problem found.
    ``previous_hash`` is the ``previousHash`` the capture request started the chain from."""
    if previous_hash and not HEX_HASH.match(previous_hash):
        raise rejected("capture_hash_mismatch", "The capture's hash chain is not consistent.")
    checked = []
    for entry in biometrics:
        code = str((entry.get("error") or {}).get("errorCode", ""))
        if code != "0":
            raise ValidationFailed("The device reported an error instead of a capture.", code="capture_device_error", details={"device_error": code[:8]})
        data = verify_device_jws(str(entry.get("data") or ""))
        digital_id = verify_device_jws(str(data.get("digitalId") or ""))
        if digital_id.get("type") != data.get("bioType"):
            raise rejected("device_untrusted", "The device's identity does not match its capture.")
        _check_fields(data, transaction_id, modality, transaction_opened, at)
        if not HEX_HASH.match(str(entry.get("hash") or "")):
            raise rejected("capture_hash_mismatch", "The capture's hash chain is not consistent.")
        checked.append(CapturedBiometric(data, str(entry["hash"]).upper(), str(entry.get("sessionKey") or ""), str(entry.get("thumbprint") or "")))
    return checked


def chain_hash(previous_hash: str, record: bytes) -> str:
    """One link of SBI's chain: SHA-256 over the previous hash and the record's hash, hex upper case."""
    previous = (previous_hash or EMPTY_HASH).upper()
    return hashlib.sha256((previous + hashlib.sha256(record).hexdigest().upper()).encode()).hexdigest().upper()


def hash_chain_fits(previous_hash: str, records: Sequence[bytes], biometrics: Sequence[CapturedBiometric]) -> bool:
    """Whether each biometric's ``hash`` links its decrypted record to the one before, starting
    from ``previous_hash`` (empty: SHA-256 of nothing). For a verifier that holds the records."""
    if len(records) != len(biometrics):
        return False
    previous = previous_hash or EMPTY_HASH
    for record, biometric in zip(records, biometrics, strict=True):
        if not hmac.compare_digest(chain_hash(previous, record), biometric.hash.upper()):
            return False
        previous = biometric.hash
    return True


def _check_fields(data: dict[str, Any], transaction_id: str, modality: str, opened: datetime, at: datetime) -> None:
    if data.get("transactionId") != transaction_id:
        raise rejected("capture_transaction_mismatch", "The capture was made for another transaction.")
    taken = _timestamp(data.get("timestamp"))
    max_age = timedelta(seconds=config.get_int("SSP_CAPTURE_MAX_AGE_SECONDS"))
    if taken is None or taken > at + CLOCK_SKEW or taken < opened - CLOCK_SKEW or at - taken > max_age:
        raise rejected("capture_stale", "The capture's time is not recent enough.")
    if data.get("purpose") != config.get("SSP_CAPTURE_PURPOSE"):
        raise rejected("capture_purpose_mismatch", "The capture was made for another purpose.")
    if data.get("env") != config.get("SSP_CAPTURE_ENV"):
        raise rejected("capture_env_mismatch", "The capture was made for another environment.")
    if data.get("bioType") != BIO_TYPES.get(modality):
        raise rejected("capture_modality_mismatch", "The capture is not of the kind that was asked for.")
    quality = data.get("qualityScore")
    if isinstance(quality, str):
        quality = float(quality) if re.fullmatch(r"\d{1,3}(\.\d+)?", quality) else None
    if not isinstance(quality, int | float) or isinstance(quality, bool) or quality < config.get_int("SSP_CAPTURE_MIN_QUALITY"):
        raise rejected("capture_low_quality", "The capture's quality is too low. Please capture again.")


def _timestamp(value: Any) -> datetime | None:
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


# --- signatures and the trust store ---------------------------------------------------------


def verify_device_jws(token: str) -> dict[str, Any]:
    """The payload of a device-signed compact JWS whose ``x5c`` chains to the trust store."""
    # joserfc is imported here, not at module import: it stays off the cold-start path.
    from joserfc import jws
    from joserfc.errors import JoseError

    parts = token.split(".")
    header = _json_part(parts[0]) if len(parts) == 3 else None
    x5c = header.get("x5c") if isinstance(header, dict) else None
    if not isinstance(header, dict) or header.get("alg") not in DEVICE_ALGS or not isinstance(x5c, list) or not 1 <= len(x5c) <= MAX_CHAIN:
        raise rejected("device_signature_invalid", "The device's signature could not be read.")
    leaf = _chain_to_trust_store(x5c)
    try:
        verified = jws.deserialize_compact(token, _verification_key(leaf), algorithms=[str(header["alg"])], registry=_registry(str(header["alg"])))
        payload = json.loads(verified.payload)
    except (JoseError, ValueError, TypeError):
        raise rejected("device_signature_invalid", "The device's signature does not match its capture.") from None
    if not isinstance(payload, dict):
        raise rejected("device_signature_invalid", "The device's signature could not be read.")
    return payload


def _registry(alg: str) -> Any:
    """joserfc's limits, widened for SBI: the ``x5c`` header carries certificates (kilobytes)."""
    # joserfc is imported here, not at module import: it stays off the cold-start path.
    from joserfc.jws import JWSRegistry

    registry = JWSRegistry(algorithms=[alg])
    registry.max_header_length = 16_000
    registry.max_payload_length = 200_000
    return registry


def _json_part(part: str) -> Any:
    try:
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (ValueError, UnicodeDecodeError):
        return None


def _chain_to_trust_store(x5c: list[Any]) -> Any:
    """The leaf certificate, once every link up to a trust anchor checks out."""
    # cryptography is imported here, not at module import: it stays off the cold-start path.
    from cryptography import x509

    untrusted = rejected("device_untrusted", "This device is not certified by a trusted device provider.")
    try:
        chain = [x509.load_der_x509_certificate(base64.b64decode(str(c), validate=True)) for c in x5c]
    except ValueError:
        raise untrusted from None
    now = datetime.now(UTC)
    for certificate in chain:
        if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
            raise untrusted
    for child, parent in zip(chain, chain[1:], strict=False):
        if not _issued_by(child, parent):
            raise untrusted
    top = chain[-1]
    if not any(_same(top, anchor) or _issued_by(top, anchor) for anchor in trust_anchors()):
        raise untrusted
    return chain[0]


def _issued_by(child: Any, parent: Any) -> bool:
    # cryptography is imported here, not at module import: it stays off the cold-start path.
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature

    try:
        constraints = parent.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        return False
    if not constraints.ca:
        return False
    try:
        child.verify_directly_issued_by(parent)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _same(certificate: Any, anchor: Any) -> bool:
    # cryptography is imported here, not at module import: it stays off the cold-start path.
    from cryptography.hazmat.primitives import serialization

    return bool(certificate.public_bytes(serialization.Encoding.DER) == anchor.public_bytes(serialization.Encoding.DER))


def _verification_key(certificate: Any) -> Any:
    # cryptography is imported here, not at module import: it stays off the cold-start path.
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from joserfc.jwk import ECKey, RSAKey

    public = certificate.public_key()
    pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    if isinstance(public, rsa.RSAPublicKey):
        return RSAKey.import_key(pem)
    if isinstance(public, ec.EllipticCurvePublicKey):
        return ECKey.import_key(pem)
    raise rejected("device_untrusted", "This device's key type is not accepted.")


_anchors: dict[str, list[Any]] = {}


def trust_anchors() -> list[Any]:
    """Device-provider certificates from ``SSP_DEVICE_TRUST_STORE`` (cached per content)."""
    # cryptography is imported here, not at module import: it stays off the cold-start path.
    from cryptography import x509

    pem = config.text_or_file("SSP_DEVICE_TRUST_STORE")
    if pem not in _anchors:
        _anchors[pem] = x509.load_pem_x509_certificates(pem.encode()) if pem.strip() else []
    return _anchors[pem]
