"""Who carries a message: SMS through Amazon SNS or a country's HTTP gateway, email through SES v2.

Each provider is a small class with one method; a provider's failure is a ``ProviderError``
carrying the provider's error code only (its message may echo the phone number). A country plugs
its own SMS gateway by setting ``SSP_SMS_PROVIDER=http`` and ``SSP_SMS_GATEWAY_URL``: the portal
posts ``{"to": "+2547...", "text": "..."}`` as JSON with ``Authorization: Bearer <token>`` and
takes any 2xx as sent (``id`` in a JSON answer is kept as the provider's id); anything else,
or no answer within 10 seconds, is a failure to retry. docs/notifications.md shows one.
"""

from __future__ import annotations

import functools
import json
import urllib.error
import urllib.request
from typing import Any, Protocol

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from chalicelib import config


class ProviderError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class SmsSender(Protocol):
    def send_sms(self, phone: str, text: str) -> str: ...


class EmailSender(Protocol):
    def send_email(self, to: str, subject: str, body: str) -> str: ...


class SnsSms:
    def send_sms(self, phone: str, text: str) -> str:
        attributes: dict[str, Any] = {"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}}
        sender_id = config.get("SSP_SMS_SENDER_ID")
        if sender_id:
            attributes["AWS.SNS.SMS.SenderID"] = {"DataType": "String", "StringValue": sender_id}
        try:
            answer = _client("sns").publish(PhoneNumber=phone, Message=text, MessageAttributes=attributes)
        except ClientError as error:
            raise ProviderError(str(error.response.get("Error", {}).get("Code") or "sns_error")) from None
        except BotoCoreError as error:
            raise ProviderError(type(error).__name__) from None
        return str(answer.get("MessageId", ""))


class HttpGatewaySms:
    """A country's SMS gateway that takes ``POST {to, text}`` (see the module's docstring)."""

    def send_sms(self, phone: str, text: str) -> str:
        url = config.get("SSP_SMS_GATEWAY_URL")
        if not url:
            raise ProviderError("gateway_not_configured")
        request = urllib.request.Request(  # noqa: S310 - the URL is the operator's setting
            url,
            data=json.dumps({"to": phone, "text": text}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {config.text_or_file('SSP_SMS_GATEWAY_TOKEN').strip()}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
                body = answer.read(65536)
        except urllib.error.HTTPError as error:
            raise ProviderError(f"http_{error.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError):
            raise ProviderError("gateway_unreachable") from None
        try:
            return str((json.loads(body or b"{}") or {}).get("id", ""))
        except (ValueError, AttributeError):
            return ""


class SesEmail:
    def send_email(self, to: str, subject: str, body: str) -> str:
        sender = config.get("SSP_EMAIL_SENDER")
        if not sender:
            raise ProviderError("sender_not_configured")
        content = {"Simple": {"Subject": {"Data": subject, "Charset": "UTF-8"}, "Body": {"Text": {"Data": body, "Charset": "UTF-8"}}}}
        try:
            answer = _client("sesv2").send_email(FromEmailAddress=sender, Destination={"ToAddresses": [to]}, Content=content)
        except ClientError as error:
            raise ProviderError(str(error.response.get("Error", {}).get("Code") or "ses_error")) from None
        except BotoCoreError as error:
            raise ProviderError(type(error).__name__) from None
        return str(answer.get("MessageId", ""))


class Nobody:
    """``SSP_SMS_PROVIDER=none``: nothing is sent; the message stays in the person's inbox."""

    def send_sms(self, phone: str, text: str) -> str:
        raise ProviderError("sms_disabled")


def sms_sender() -> SmsSender:
    kind = config.get("SSP_SMS_PROVIDER")
    return HttpGatewaySms() if kind == "http" else Nobody() if kind == "none" else SnsSms()


def email_sender() -> EmailSender:
    return SesEmail()


def sms_enabled() -> bool:
    return config.get("SSP_SMS_PROVIDER") != "none"


def email_enabled() -> bool:
    return bool(config.get("SSP_EMAIL_SENDER"))


def park_in_queue(body: dict[str, Any]) -> None:
    """Hand a parked message's keys to the dead-letter queue, when one is configured."""
    url = config.get("SSP_NOTIFY_DLQ_URL")
    if url:
        _client("sqs").send_message(QueueUrl=url, MessageBody=json.dumps(body))


def _client(service: str) -> Any:
    return _cached_client(service, config.region(), config.endpoint_url())


@functools.lru_cache(maxsize=8)
def _cached_client(service: str, region: str, endpoint: str | None) -> Any:
    return boto3.client(service, region_name=region)
