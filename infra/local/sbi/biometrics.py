"""What the simulated sensors "see": a stable synthetic record per sample person and modality,
encrypted for the authentication partner the way SBI Auth captures are, and hash-chained.

The record is derived from the person's ``individual_id`` with a fixed key, so the portal's
simulator verifier (``chalicelib/devices/verifiers.py``) derives the same record and decides a
match by comparing. Nothing here resembles a real person's biometrics.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SYNTHETIC_KEY = b"ssp-sbi-simulator/synthetic-biometrics/v1"
EMPTY_HASH = hashlib.sha256(b"").hexdigest().upper()


def synthetic_record(individual_id: str, modality: str) -> bytes:
    """The one record a sample person presents to a device of ``modality`` (finger|face|iris)."""
    digest = hmac.new(SYNTHETIC_KEY, f"{modality.lower()}#{individual_id}".encode(), hashlib.sha256).digest()
    return b"SSP-SYNTHETIC-BIR/1;" + modality.lower().encode() + b";" + base64.b64encode(digest * 4)


def stranger_record(modality: str) -> bytes:
    """What the sensor sees when nobody known to the simulator is at the device."""
    return b"SSP-SYNTHETIC-BIR/1;" + modality.lower().encode() + b";" + base64.b64encode(os.urandom(128))


def chain_hash(previous_hash: str, record: bytes) -> str:
    """SBI's ``hash``: SHA-256 over the previous hash and the record's hash, hex upper case."""
    previous = (previous_hash or EMPTY_HASH).upper()
    return hashlib.sha256((previous + hashlib.sha256(record).hexdigest().upper()).encode()).hexdigest().upper()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def encrypt_for_partner(record: bytes, partner: x509.Certificate, timestamp: str) -> tuple[str, str]:
    """(``bioValue``, ``sessionKey``): AES-256-GCM under a fresh key (nonce prefixed, the capture
    timestamp as associated data), the key wrapped with RSA-OAEP-256 for the partner."""
    key = AESGCM.generate_key(bit_length=256)
    nonce = os.urandom(12)
    sealed = nonce + AESGCM(key).encrypt(nonce, record, timestamp.encode())
    public_key = partner.public_key()
    assert isinstance(public_key, rsa.RSAPublicKey)
    wrapped = public_key.encrypt(key, padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None))
    return b64url(sealed), b64url(wrapped)
