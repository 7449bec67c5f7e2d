"""The simulator's keys: a device-provider CA, the keys it certifies, and the authentication
partner's encryption certificate. Created at first start, kept on disk, reused afterwards.

- ``provider-ca``: the "device provider" certificate authority. The portal's trust store
  (``SSP_DEVICE_TRUST_STORE``) holds its certificate, as it would hold a real vendor's.
- ``ftm``: the trusted-module key that signs each ``digitalId`` (what makes a device L1).
- ``device-<type>``: one key per device, signing ``deviceInfo`` and capture ``data``.
- ``ida-partner``: stands in for the ID authentication service's encryption certificate that a
  real device fetches from its management server; Auth captures encrypt ``bioValue`` to it, and
  the portal's simulator verifier (playing the authentication service) holds its private key.
"""

from __future__ import annotations

import datetime
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

KEY_BITS = 2048
CA_NAME = "SSP Simulator Device Provider CA"
DEVICE_TYPES = ("Finger", "Face", "Iris")


@dataclass(frozen=True)
class KeyPair:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate

    @property
    def certificate_der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    @property
    def certificate_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def thumbprint(self) -> str:
        """Hex SHA-256 of the DER certificate, as SBI's ``thumbprint`` field carries it."""
        return hashlib.sha256(self.certificate_der).hexdigest().upper()


@dataclass(frozen=True)
class SimulatorPki:
    directory: Path
    provider_ca: KeyPair
    ftm: KeyPair
    devices: dict[str, KeyPair]
    ida_partner: KeyPair

    @property
    def trust_store_path(self) -> Path:
        """PEM of the device-provider CA: what the portal's trust store must hold."""
        return self.directory / "provider-ca.crt"

    @property
    def verifier_key_path(self) -> Path:
        """PEM with the authentication partner's private key and certificate, for the portal's
        simulator verifier."""
        return self.directory / "ida-partner.key"


_loaded: dict[Path, SimulatorPki] = {}


def load_or_create(directory: Path) -> SimulatorPki:
    """Read the simulator's keys from ``directory``, creating whatever is missing."""
    key = directory.resolve()
    if key in _loaded and all(p.exists() for p in (_loaded[key].trust_store_path, _loaded[key].verifier_key_path)):
        return _loaded[key]
    _loaded[key] = _load_or_create(directory)
    return _loaded[key]


def _load_or_create(directory: Path) -> SimulatorPki:
    directory.mkdir(parents=True, exist_ok=True)
    ca = _load_or_make(directory, "provider-ca", CA_NAME, issuer=None)
    ftm = _load_or_make(directory, "ftm", "SSP Simulator Trusted Module", issuer=ca)
    devices = {t: _load_or_make(directory, f"device-{t.lower()}", f"SSP Simulator {t} Device", issuer=ca) for t in DEVICE_TYPES}
    partner = _load_or_make(directory, "ida-partner", "SSP Simulated ID Authentication Partner", issuer=ca)
    return SimulatorPki(directory, ca, ftm, devices, partner)


def _load_or_make(directory: Path, name: str, common_name: str, issuer: KeyPair | None) -> KeyPair:
    path = directory / f"{name}.key"
    if path.exists():
        pair = _read(path)
        if pair is not None:
            return pair
    pair = _make(common_name, issuer)
    _write(path, pair)
    return pair


def _read(path: Path) -> KeyPair | None:
    data = path.read_bytes()
    try:
        key = serialization.load_pem_private_key(data, password=None)
        certificate = x509.load_pem_x509_certificate(data)
    except ValueError:
        return None
    if not isinstance(key, rsa.RSAPrivateKey):
        return None
    return KeyPair(key, certificate)


def _write(path: Path, pair: KeyPair) -> None:
    """``<name>.key``: key and certificate, readable by its owner only; ``<name>.crt``: the
    certificate alone (public: what a trust store or a partner receives)."""
    key_pem = pair.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key_pem + pair.certificate_pem)
    os.replace(tmp, path)
    path.with_suffix(".crt").write_bytes(pair.certificate_pem)


def _make(common_name: str, issuer: KeyPair | None) -> KeyPair:
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    subject = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "SSP Simulator"), x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    is_ca = issuer is None
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650 if is_ca else 730))
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=0 if is_ca else None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not is_ca,
                content_commitment=False,
                key_encipherment=not is_ca,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=is_ca,
                crl_sign=is_ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    signer = issuer.key if issuer else key
    return KeyPair(key, builder.sign(signer, hashes.SHA256()))
