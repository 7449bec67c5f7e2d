"""The environment every test runs in, set before the app is imported."""

from __future__ import annotations

import json
import os
from pathlib import Path

from joserfc.jwk import RSAKey

STAFF_ISSUER = "https://staff-idp.test"
STAFF_AUDIENCE = "ssp-staff"
STAFF_KEY = RSAKey.generate_key(2048, parameters={"kid": "staff-test-1", "use": "sig", "alg": "RS256"})
OTHER_KEY = RSAKey.generate_key(2048, parameters={"kid": "staff-test-1", "use": "sig", "alg": "RS256"})

TEST_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "AWS_REGION": "eu-west-1",
    "SSP_STAFF_ISSUER": STAFF_ISSUER,
    "SSP_STAFF_AUDIENCE": STAFF_AUDIENCE,
    "SSP_STAFF_JWKS": json.dumps({"keys": [STAFF_KEY.as_dict(private=False)]}),
    "SSP_STAFF_ROLES_CLAIM": "roles",
}


def dev_stage_variables() -> dict[str, str]:
    """Chalice's test client sets the stage's variables while a handler runs; tests use the
    same values outside handlers so both sides agree."""
    chalice_config = json.loads((Path(__file__).resolve().parents[2] / ".chalice/config.json").read_text())
    return {**chalice_config.get("environment_variables", {}), **chalice_config["stages"]["dev"].get("environment_variables", {})}


def apply() -> None:
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_S3", "AWS_PROFILE"):
        os.environ.pop(name, None)
    os.environ.update(TEST_ENVIRONMENT)
    os.environ.update(dev_stage_variables())
