"""Settings from the environment, read when asked for (never at import time).

Chalice's test client sets a stage's environment variables only while a handler runs, and
Lambda may reuse a process across configuration changes in tests, so every accessor reads
``os.environ`` on each call. Each setting is documented in the README's configuration table;
``SETTINGS`` below is the single list the README table is checked against.
"""

from __future__ import annotations

import os
from typing import NamedTuple


class Setting(NamedTuple):
    name: str
    default: str
    help: str


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting("SSP_TABLE_PREFIX", "ssp-dev", "Prefix of every DynamoDB table name (`<prefix>-registrants`, ...)."),
        Setting("SSP_DOCUMENTS_BUCKET", "ssp-dev-documents", "S3 bucket holding uploaded documents."),
        Setting("SSP_S3_PUBLIC_ENDPOINT", "", "S3 endpoint put in presigned URLs handed to browsers; empty means the normal one (AWS_ENDPOINT_URL or AWS)."),
        Setting("SSP_DOCUMENT_TYPES", "application/pdf,image/jpeg,image/png", "Content types a document may have; `image/heic` and `image/webp` can be added."),
        Setting("SSP_DOCUMENT_MAX_BYTES", "10485760", "Largest document accepted, whatever a program allows."),
        Setting("SSP_DOCUMENT_UPLOAD_SECONDS", "300", "How long a presigned upload (POST) stays valid."),
        Setting("SSP_DOCUMENT_DOWNLOAD_SECONDS", "300", "How long a presigned download (GET) stays valid."),
        Setting("SSP_DOCUMENT_QUOTA_COUNT", "50", "Most documents one person may hold (pending, scanning and available)."),
        Setting("SSP_DOCUMENT_QUOTA_BYTES", "104857600", "Most bytes one person's documents may hold together."),
        Setting("SSP_DOCUMENTS_SSE", "aws:kms", "Server-side encryption uploads must use: `aws:kms` (production) or `AES256`."),
        Setting("SSP_DOCUMENTS_KMS_KEY_ID", "", "KMS key for `aws:kms`; empty means the bucket's default key."),
        Setting("SSP_MALWARE_SCANNER", "", "Empty: verification alone decides. `guardduty`: documents stay `scanning` until GuardDuty tags them."),
        Setting("AWS_REGION", "eu-west-1", "AWS region of the tables and the bucket (falls back to AWS_DEFAULT_REGION)."),
        Setting("AWS_ENDPOINT_URL", "", "Endpoint of an AWS emulator; empty means real AWS. Honoured by boto3 and pynamodb."),
        Setting("SSP_AWS_CONNECT_TIMEOUT_SECONDS", "1", "Connect timeout of each DynamoDB and S3 call."),
        Setting("SSP_AWS_READ_TIMEOUT_SECONDS", "2", "Read timeout of each DynamoDB call (S3 reads of a document get 5 s more)."),
        Setting(
            "SSP_AWS_MAX_RETRY_ATTEMPTS",
            "2",
            "Retries after a failed DynamoDB or S3 call; with the timeouts, a route's calls fit the Lambda's 29 s (docs/deploy.md).",
        ),
        Setting("SSP_PUBLIC_URL", "http://localhost:8000", "Origin the browser uses; the OIDC redirect URI is built from it."),
        Setting("SSP_MAX_BODY_BYTES", "262144", "Largest JSON request body accepted; larger gets 413."),
        Setting("SSP_SESSION_IDLE_SECONDS", "1800", "A registrant session ends after this long without a request."),
        Setting("SSP_SESSION_MAX_SECONDS", "43200", "A registrant session ends this long after login, whatever happens."),
        Setting(
            "SSP_COOKIE_SECURE",
            "true",
            "Secure flag and `__Host-` prefix on the portal's cookies; `false` drops both, for scripts on a plain-HTTP local stack (docs/login.md).",
        ),
        Setting("SSP_LOGIN_TTL_SECONDS", "600", "How long a login transaction (state, nonce, PKCE verifier) stays usable."),
        Setting("SSP_OIDC_PROVIDERS", "", "JSON list of registrant identity providers, or @path to a JSON file."),
        Setting(
            "SSP_LOGIN_RETURN_PATHS",
            "/,/programs,/applications,/enrolments,/me,/documents,/activity",
            "Paths (and what is under them) a login may return to; any other return_to lands on the home page.",
        ),
        Setting("SSP_OIDC_HTTP_TIMEOUT_SECONDS", "10", "Timeout of each call to an identity provider (discovery, JWKS, token, userinfo)."),
        Setting("SSP_STAFF_ISSUER", "", "Issuer (`iss`) of staff bearer tokens."),
        Setting("SSP_STAFF_AUDIENCE", "ssp-staff", "Audience (`aud`) staff bearer tokens must carry."),
        Setting("SSP_STAFF_JWKS_URL", "", "URL of the staff issuer's JWKS."),
        Setting("SSP_STAFF_JWKS", "", "The staff issuer's JWKS inline (JSON); used instead of the URL when set."),
        Setting("SSP_STAFF_CLIENT_ID", "", "Client id of the staff console at the staff issuer (a public client using PKCE); empty hides staff sign-in."),
        Setting("SSP_STAFF_ROLES_CLAIM", "roles", "Dotted path of the claim holding staff roles (`groups`, `realm_access.roles`)."),
        Setting(
            "SSP_STAFF_PROGRAMS_CLAIM",
            "programs",
            "Dotted path of the claim listing the program ids a reviewer may see; a token without it sees every program, admins always do.",
        ),
        Setting("SSP_DEVICE_TRUST_STORE", "", "PEM certificates of trusted biometric device providers, inline or @path; a capture must chain to one."),
        Setting("SSP_MATCH_VERIFIER", "", "Who decides a biometric match: `simulator` (local stack's SBI simulator); empty refuses every capture."),
        Setting("SSP_SIMULATOR_VERIFIER_KEY", "", "PEM key and certificate of the simulated ID authentication partner, inline or @path (local stack)."),
        Setting("SSP_CAPTURE_MIN_QUALITY", "60", "Lowest device-reported `qualityScore` a capture may have."),
        Setting("SSP_CAPTURE_MAX_AGE_SECONDS", "120", "How old a capture's device `timestamp` may be when it reaches the portal (clock skew included)."),
        Setting("SSP_CAPTURE_PURPOSE", "Auth", "The SBI `purpose` captures must carry."),
        Setting("SSP_CAPTURE_ENV", "Production", "The SBI `env` captures must carry (`Developer` for the local stack)."),
        Setting("SSP_CAPTURE_TRANSACTION_SECONDS", "180", "How long a capture transaction stays usable after the edge agent asks for it."),
        Setting("SSP_ASSISTED_SESSION_SECONDS", "1800", "How long an officer may act for a person after a verified capture."),
        Setting("SSP_CAPTURE_AUDIT_BUCKET", "", "S3 bucket keeping relayed captures (still encrypted for the ID service) for audit; empty keeps none."),
        Setting("SSP_CAPTURE_AUDIT_KMS_KEY_ID", "", "KMS key for the capture audit bucket; empty means the bucket's default key."),
        Setting("SSP_SMS_PROVIDER", "sns", "Who sends SMS: `sns` (Amazon SNS), `http` (a country's gateway, SSP_SMS_GATEWAY_URL) or `none`."),
        Setting("SSP_SMS_SENDER_ID", "", "Alphanumeric sender id SMS show, where the country allows one; empty: the provider's number."),
        Setting("SSP_SMS_GATEWAY_URL", "", "HTTPS endpoint of the SMS gateway the `http` provider posts `{to, text}` to."),
        Setting("SSP_SMS_GATEWAY_TOKEN", "", "Bearer token for the SMS gateway, inline or @path."),
        Setting("SSP_EMAIL_SENDER", "", "Verified SES v2 identity messages are sent from (`Portal <no-reply@example.gov>`); empty sends no email."),
        Setting("SSP_NOTIFY_MAX_ATTEMPTS", "5", "Tries of one message before it is parked."),
        Setting("SSP_NOTIFY_BACKOFF_SECONDS", "0.5", "Wait before the second try of a message; doubled before each next one."),
        Setting("SSP_NOTIFY_DLQ_URL", "", "SQS queue a parked message is also sent to (the dead-letter queue in AWS); empty: parked in the table only."),
        Setting("SSP_WEBHOOK_QUEUE_URL", "", "SQS FIFO queue of webhook deliveries (`<prefix>-webhooks.fifo`); empty: events are not delivered to endpoints."),
        Setting("SSP_WEBHOOK_SECRETS", "secretsmanager", "Where endpoint signing secrets are kept: `secretsmanager` (AWS) or `ssm` (local stack)."),
        Setting("SSP_WEBHOOK_ALLOW_LOCAL", "false", "`true` lets an endpoint be `http://localhost` or `http://127.0.0.1` (the local stack only)."),
        Setting("SSP_WEBHOOK_TIMEOUT_SECONDS", "5", "How long one delivery waits to connect and for each read of the answer; redirects are never followed."),
        Setting("SSP_WEBHOOK_BACKOFF_SECONDS", "30", "Wait before a delivery's second try; doubled before each next one, up to the maximum below."),
        Setting("SSP_WEBHOOK_MAX_BACKOFF_SECONDS", "21600", "Longest wait between two tries of one delivery (SQS allows at most 12 hours)."),
        Setting("SSP_WEBHOOK_RETRY_HOURS", "72", "A delivery still failing this long after its first try is given up (`failed`; replay sends it again)."),
        Setting("SSP_WEBHOOK_PAUSE_HOURS", "24", "An endpoint whose deliveries have failed this long without one success is paused."),
        Setting("SSP_WEBHOOK_SECRET_OVERLAP_HOURS", "24", "After a rotation, deliveries are signed with the old secret too for this long."),
        Setting("SSP_STATUS_LOOKUPS_PER_REFERENCE", "5", "Status checks without login per reference and hour."),
        Setting("SSP_STATUS_LOOKUPS_PER_CLIENT", "20", "Status checks without login per client address and hour."),
        Setting("SSP_STATUS_MIN_SECONDS", "0.4", "Least time a status check takes, found or not, so that timing tells nothing."),
        Setting("SSP_LOG_LEVEL", "INFO", "Level of the structured JSON logs."),
    )
}


def get(name: str) -> str:
    """The raw value of a documented setting, or its default."""
    setting = SETTINGS[name]
    return os.environ.get(name) or setting.default


def get_int(name: str) -> int:
    return int(get(name))


def get_bool(name: str) -> bool:
    return get(name).strip().lower() in {"1", "true", "yes", "on"}


def region() -> str:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or SETTINGS["AWS_REGION"].default


def endpoint_url() -> str | None:
    return get("AWS_ENDPOINT_URL") or None


def aws_connect_timeout() -> float:
    return float(get("SSP_AWS_CONNECT_TIMEOUT_SECONDS"))


def aws_read_timeout() -> float:
    return float(get("SSP_AWS_READ_TIMEOUT_SECONDS"))


def aws_max_retry_attempts() -> int:
    return get_int("SSP_AWS_MAX_RETRY_ATTEMPTS")


def table_name(table: str) -> str:
    return f"{get('SSP_TABLE_PREFIX')}-{table}"


def documents_bucket() -> str:
    return get("SSP_DOCUMENTS_BUCKET")


def max_body_bytes() -> int:
    return get_int("SSP_MAX_BODY_BYTES")


def text_or_file(name: str) -> str:
    """A setting holding text inline, or ``@path`` naming a file that holds it."""
    raw = get(name)
    if raw.startswith("@"):
        with open(raw[1:], encoding="utf-8") as handle:
            return handle.read()
    return raw
