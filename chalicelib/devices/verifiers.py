"""Deciding whether the person at the device is the person the officer named.

The portal never decides this itself: an ID authentication service does (MOSIP IDA in a
deployment, whose adapter would send the still-encrypted biometrics with the ID number and map
its answer). ``SSP_MATCH_VERIFIER`` names the verifier; a new one implements ``MatchVerifier``
and is added to ``VERIFIERS``.

``simulator`` plays that service for the local stack: it holds the authentication partner key
the SBI simulator encrypts to, opens each ``bioValue``, checks SBI's hash chain, and compares
the record with the synthetic one the sample person presents to the simulator
(``infra/local/sbi/biometrics.py`` derives the same record; a test keeps the two in step).

The hash chain is a verifier's duty, not the portal's: each link hashes the decrypted record,
which only the verifier (or the ID service behind it) ever sees. See ``MatchVerifier``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

from chalicelib import config
from chalicelib.devices.device_data import CapturedBiometric, hash_chain_fits
from chalicelib.errors import Forbidden
from chalicelib.observability import logger


class MatchOutcome(StrEnum):
    MATCH = "match"
    NO_MATCH = "no_match"
    HASH_MISMATCH = "hash_mismatch"  # SBI's hash chain does not fit the records
    UNREADABLE = "unreadable"  # not encrypted for this verifier, or damaged


class MatchRequest(NamedTuple):
    individual_id: str
    modality: str
    transaction_id: str
    previous_hash: str  # the ``previousHash`` the capture request started the chain from
    biometrics: tuple[CapturedBiometric, ...]


class MatchVerifier(Protocol):
    """Decides whether the capture is of the named person, and checks what only the holder of the
    decrypted records can check.

    The contract every verifier (the simulator's, or an adapter for an ID authentication service
    such as MOSIP IDA) must keep:

    - **SBI's hash chain.** Each ``hash`` is ``SHA256(previousHash || SHA256(record))`` over the
      *decrypted* record, starting from ``request.previous_hash``. The portal checks only that
      the hashes are well formed (``device_data.check_biometrics``); it cannot check the links.
      A verifier that opens the records checks them with ``device_data.hash_chain_fits``; an
      adapter that forwards the still-encrypted biometrics must send ``hash`` and
      ``previousHash`` along and rely on an ID service that validates them, mapping that refusal
      to ``HASH_MISMATCH``. It must never answer ``MATCH`` for a chain nobody checked.
    - ``checks_hash_chain`` says that it keeps this duty; the portal refuses to use a verifier
      that does not (``configured_verifier``).
    - ``UNREADABLE`` for biometrics not encrypted for it (another partner, damaged);
      ``NO_MATCH`` for anyone other than ``request.individual_id``.
    """

    checks_hash_chain: bool

    def verify(self, request: MatchRequest) -> MatchOutcome: ...


# --- the simulator's verifier ---------------------------------------------------------------

SYNTHETIC_KEY = b"ssp-sbi-simulator/synthetic-biometrics/v1"


def synthetic_record(individual_id: str, modality: str) -> bytes:
    """The record a sample person presents to the SBI simulator (same formula as the simulator)."""
    digest = hmac.new(SYNTHETIC_KEY, f"{modality.lower()}#{individual_id}".encode(), hashlib.sha256).digest()
    return b"SSP-SYNTHETIC-BIR/1;" + modality.lower().encode() + b";" + base64.b64encode(digest * 4)


class SimulatorVerifier:
    checks_hash_chain = True  # it opens every record and checks each link itself

    def __init__(self, key_and_certificate_pem: str) -> None:
        # cryptography is imported here, not at module import: it stays off the cold-start path.
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
        records = []
        for biometric in request.biometrics:
            record = self._open(biometric)
            if record is None:
                return MatchOutcome.UNREADABLE
            records.append(record)
        if not hash_chain_fits(request.previous_hash, records, request.biometrics):
            return MatchOutcome.HASH_MISMATCH
        matched = all(
            hmac.compare_digest(record, synthetic_record(request.individual_id, str(biometric.data.get("bioType", ""))))
            for record, biometric in zip(records, request.biometrics, strict=True)
        )
        return MatchOutcome.MATCH if matched else MatchOutcome.NO_MATCH

    def _open(self, biometric: CapturedBiometric) -> bytes | None:
        # cryptography is imported here, not at module import: it stays off the cold-start path.
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if biometric.thumbprint.upper() != self.thumbprint:
            return None
        try:
            key = self._key.decrypt(_unb64(biometric.session_key), padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None))
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
    if getattr(verifier, "checks_hash_chain", False) is not True:
        # Its answer would leave SBI's hash chain unchecked: not a verifier the portal may use.
        logger.error("verifier_skips_hash_chain", extra={"verifier": name})
        raise Forbidden("Identity checks by biometrics are not set up on this portal.", code="verifier_not_configured")
    return verifier
