"""Endpoint signing secrets: Secrets Manager in AWS, SSM Parameter Store (SecureString) locally.

One secret per endpoint, named ``<prefix>/webhooks/<endpoint_id>``, holding JSON
``{"current": "whsec_...", "previous": "whsec_..." | null, "previous_until": "<ISO time>" | null}``.
A rotation makes a new ``current`` and keeps the old one as ``previous`` for
``SSP_WEBHOOK_SECRET_OVERLAP_HOURS``: meanwhile every delivery carries a signature by each (the
Standard Webhooks header holds several, space-separated), so a receiver can switch whenever it
likes within the overlap. A secret is shown to the administrator once, when made, and never
logged; the table holds none.
"""

from __future__ import annotations

import base64
import json
import secrets as random
from datetime import datetime, timedelta
from typing import Any, NamedTuple

import boto3
from botocore.exceptions import ClientError

from chalicelib import config
from chalicelib.store.base import now

PREFIX = "whsec_"
SECRET_BYTES = 32


class SigningSecrets(NamedTuple):
    current: str
    previous: str | None = None
    previous_until: datetime | None = None

    def valid(self, at: datetime) -> list[str]:
        """The secrets a delivery at ``at`` is signed with: the current one, and the previous
        one while the overlap lasts."""
        kept = [self.current]
        if self.previous and self.previous_until and at < self.previous_until:
            kept.append(self.previous)
        return kept


def new_secret() -> str:
    return PREFIX + base64.b64encode(random.token_bytes(SECRET_BYTES)).decode()


def secret_name(endpoint_id: str) -> str:
    return f"{config.get('SSP_TABLE_PREFIX')}/webhooks/{endpoint_id}"


def create(endpoint_id: str) -> str:
    """A new endpoint's first secret, stored; returned once, for the administrator."""
    value = new_secret()
    _write(endpoint_id, SigningSecrets(value), new=True)
    return value


def rotate(endpoint_id: str, at: datetime | None = None) -> SigningSecrets:
    moment = at or now()
    old = read(endpoint_id)
    rotated = SigningSecrets(new_secret(), old.current, moment + timedelta(hours=config.get_int("SSP_WEBHOOK_SECRET_OVERLAP_HOURS")))
    _write(endpoint_id, rotated, new=False)
    return rotated


def read(endpoint_id: str) -> SigningSecrets:
    raw = json.loads(_get(secret_name(endpoint_id)))
    until = raw.get("previous_until")
    return SigningSecrets(raw["current"], raw.get("previous"), datetime.fromisoformat(until) if until else None)


def delete(endpoint_id: str) -> None:
    name = secret_name(endpoint_id)
    try:
        if _backend() == "ssm":
            _client("ssm").delete_parameter(Name="/" + name)
        else:
            _client("secretsmanager").delete_secret(SecretId=name, RecoveryWindowInDays=7)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") not in {"ParameterNotFound", "ResourceNotFoundException"}:
            raise


def _write(endpoint_id: str, value: SigningSecrets, *, new: bool) -> None:
    until = value.previous_until.isoformat() if value.previous_until else None
    text = json.dumps({"current": value.current, "previous": value.previous, "previous_until": until})
    name = secret_name(endpoint_id)
    if _backend() == "ssm":
        _client("ssm").put_parameter(Name="/" + name, Value=text, Type="SecureString", Overwrite=not new)
    elif new:
        _client("secretsmanager").create_secret(Name=name, SecretString=text, Description="Signing secret of one webhook endpoint (Standard Webhooks)")
    else:
        _client("secretsmanager").put_secret_value(SecretId=name, SecretString=text)


def _get(name: str) -> str:
    if _backend() == "ssm":
        return str(_client("ssm").get_parameter(Name="/" + name, WithDecryption=True)["Parameter"]["Value"])
    return str(_client("secretsmanager").get_secret_value(SecretId=name)["SecretString"])


def _backend() -> str:
    return "ssm" if config.get("SSP_WEBHOOK_SECRETS") == "ssm" else "secretsmanager"


def _client(service: str) -> Any:
    return boto3.client(service, region_name=config.region())
