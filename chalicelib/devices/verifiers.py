"""Deciding whether the person at the device is the person the officer named.

The portal never decides this itself: an ID authentication service does (MOSIP IDA in a
deployment, whose adapter would send the still-encrypted biometrics with the ID number and map
its answer). ``SSP_MATCH_VERIFIER`` names the verifier; a new one implements ``MatchVerifier``
and is added to ``VERIFIERS``.

``simulator`` plays that service for the local stack: it holds the authentication partner key
the SBI simulator encrypts to, opens each ``bioValue``, checks SBI's hash chain, and compares
the record with the synthetic one the sample person presents to the simulator
(``infra/local/sbi/biometrics.py`` derives the same record; a test keeps the two in step).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from chalicelib import config
from chalicelib.devices.device_data import CapturedBiometric
from chalicelib.errors import Forbidden


class MatchOutcome(StrEnum):
    MATCH = "match"
    NO_MATCH = "no_match"
    HASH_MISMATCH = "hash_mismatch"  # SBI's hash chain does not fit the records
    UNREADABLE = "unreadable"  # not encrypted for this verifier, or damaged


@dataclass(frozen=True)
class MatchRequest:
    individual_id: str
    modality: str
    transaction_id: str
    previous_hash: str  # the ``previousHash`` the capture request started the chain from
    biometrics: tuple[CapturedBiometric, ...]


class MatchVerifier(Protocol):
    def verify(self, request: MatchRequest) -> MatchOutcome: ...


# --- the simulator's verifier ---------------------------------------------------------------

SYNTHETIC_KEY = b"ssp-sbi-simulator/synthetic-biometrics/v1"
EMPTY_HASH = hashlib.sha256(b"").hexdigest().upper()


def synthetic_record(individual_id: str, modality: str) -> bytes:
    """The record a sample person presents to the SBI simulator (same formula as the simulator)."""
    digest = hmac.new(SYNTHETIC_KEY, f"{modality.lower()}#{individual_id}".encode(), hashlib.sha256).digest()
    return b"SSP-SYNTHETIC-BIR/1;" + modality.lower().encode() + b";" + base64.b64encode(digest * 4)


def chain_hash(previous_hash: str, record: bytes) -> str:
    previous = (previous_hash or EMPTY_HASH).upper()
    return hashlib.sha256((previous + hashlib.sha256(record).hexdigest().upper()).encode()).hexdigest().upper()


class SimulatorVerifier:
    def __init__(self, key_and_certificate_pem: str) -> None:
        from cryptography import x509
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = serialization.load_pem_private_key(key_and_certificate_pem.encode(), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("the simulator verifier needs an RSA key")
        self._key = key
        certificate = x509.load_pem_x509_certificate(key_and_certificate_pem.encode())
        self.thumbprint = hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest().upper()

    def verify(self, request: MatchRequest) -> MatchOutcome:
        previous = request.previous_hash or EMPTY_HASH
        matched = True
        for biometric in request.biometrics:
            record = self._open(biometric)
            if record is None:
                return MatchOutcome.UNREADABLE
            if not hmac.compare_digest(chain_hash(previous, record), biometric.hash.upper()):
                return MatchOutcome.HASH_MISMATCH
            previous = biometric.hash
            expected = synthetic_record(request.individual_id, str(biometric.data.get("bioType", "")))
            matched = matched and hmac.compare_digest(record, expected)
        return MatchOutcome.MATCH if matched else MatchOutcome.NO_MATCH

    def _open(self, biometric: CapturedBiometric) -> bytes | None:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if biometric.thumbprint.upper() != self.thumbprint:
            return None
        try:
            key = self._key.decrypt(
                _unb64(biometric.session_key), padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)
            )
            sealed = _unb64(str(biometric.data.get("bioValue", "")))
            return AESGCM(key).decrypt(sealed[:12], sealed[12:], str(biometric.data.get("timestamp", "")).encode())
        except (ValueError, InvalidTag):
            return None


def _unb64(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


# --- choosing one ---------------------------------------------------------------------------


def _simulator() -> MatchVerifier:
    return SimulatorVerifier(config.text_or_file("SSP_SIMULATOR_VERIFIER_KEY"))


VERIFIERS: dict[str, Callable[[], MatchVerifier]] = {"simulator": _simulator}

_cache: dict[tuple[str, str], Any] = {}


def configured_verifier() -> MatchVerifier:
    """The verifier ``SSP_MATCH_VERIFIER`` names; an error (not a guess) when none is set."""
    name = config.get("SSP_MATCH_VERIFIER")
    if name not in VERIFIERS:
        # A portal deployed without assisted mode: the route is not available here (not a fault).
        raise Forbidden("Identity checks by biometrics are not set up on this portal.", code="verifier_not_configured")
    cache_key = (name, config.get("SSP_SIMULATOR_VERIFIER_KEY"))
    if cache_key not in _cache:
        _cache[cache_key] = VERIFIERS[name]()
    verifier: MatchVerifier = _cache[cache_key]
    return verifier
