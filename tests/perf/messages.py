"""``make bench``: the messages a typical run of applications sends, and their cost per 1,000.

Runs 100 applications through the API in-process (moto), with a mix of people and decisions,
hands the outbox to the deployed stream function, and counts what reached SNS and SES. Figures,
never assertions; prices are stated where they are used and vary by country (SMS above all).
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

APPLICATIONS = 100
# Prices used (USD): SMS is what SNS charges per part sent to a Kenyan mobile (transactional,
# 2024 price list, about the middle of the range for the countries the sample people live in:
# check your country's line on https://aws.amazon.com/sns/sms-pricing/); SES is $0.10 per 1,000
# emails; DynamoDB on demand in eu-west-1 is $1.4135 per million writes (each message makes three:
# the claim, the sent state and the activity-log entry) and Lambda's requests are left out (cents).
SMS_PART = 0.0337
EMAIL = 0.0001
DYNAMODB_WRITE = 1.4135 / 1_000_000
WRITES_PER_MESSAGE = 3

# What happens to the applications: (share, decisions after submission).
PATHS: list[tuple[float, list[str]]] = [
    (0.5, ["under_review", "approved+enrol"]),
    (0.2, ["under_review", "info_requested", "resubmit", "under_review", "approved+enrol"]),
    (0.2, ["under_review", "rejected"]),
    (0.1, ["withdraw"]),
]


def _person(n: int) -> Any:
    from tests.notifications.conftest import person

    # Half are told by SMS on their verified phone, a quarter by SMS and email, a quarter have no channel.
    kind = n % 4
    who = person(n % 5, phone="none" if kind == 3 else "id_provider", email="id_provider" if kind == 2 else None)
    return who, kind == 2


def main() -> None:
    from tests.support import environment

    environment.apply()
    os.environ.update({"SSP_LOG_LEVEL": "WARNING", "SSP_NOTIFY_BACKOFF_SECONDS": "0", "SSP_EMAIL_SENDER": "portal@example.gov"})
    import boto3
    from chalice.test import Client
    from moto import mock_aws

    from app import app
    from chalicelib import config
    from chalicelib.store.messages import Message
    from chalicelib.store.tables import create_missing_tables
    from tests.notifications.conftest import Stream, emails_sent, sms_sent
    from tests.support.api import Api
    from tests.support.factories import as_staff
    from tests.support.programs import Portal, simple_program

    print(f"\nMessages per 1,000 applications (modelled from {APPLICATIONS} run through the API and the stream function)")
    with mock_aws(), Client(app) as client:
        create_missing_tables()
        boto3.client("sesv2", region_name=config.region()).create_email_identity(EmailIdentity="portal@example.gov")
        api, stream, reviewer = Api(client), Stream(), as_staff("reviewer")
        portal = Portal(api)
        program = simple_program()
        done = 0
        for share, steps in PATHS:
            for _ in range(round(APPLICATIONS * share)):
                who, with_email = _person(done)
                if with_email:
                    api.put("/api/me/contacts", {"channels": ["sms", "email"]}, as_=who)
                application_id = portal.submitted(who, program, {"name": "Someone"})["application_id"]
                for step in steps:
                    if step == "resubmit":
                        portal.submit(who, application_id)
                    elif step == "withdraw":
                        api.post(f"/api/applications/{application_id}/withdraw", {}, as_=who)
                    elif step == "approved+enrol":
                        portal.decide(reviewer, application_id, "approved", enrol=True)
                    else:
                        portal.decide(reviewer, application_id, step)
                done += 1
        stream.flush()
        from chalicelib.notifications.templates import sms_segments

        parts = sum(sms_segments(text)[1] for _, text in sms_sent())
        sms, emails = len(sms_sent()), len(emails_sent())
        channels = Counter(m.channel for m in Message.scan())
    scale = 1000 / done
    messages = sum(channels.values())
    cost = {
        "SMS (SNS)": parts * SMS_PART * scale,
        "email (SES)": emails * EMAIL * scale,
        "DynamoDB writes": messages * WRITES_PER_MESSAGE * DYNAMODB_WRITE * scale,
    }
    print(f"  applications run               {done}")
    print(f"  SMS sent                       {sms * scale:8.0f}   ({parts * scale:.0f} parts: {parts / max(sms, 1):.2f} a message)")
    print(f"  emails sent                    {emails * scale:8.0f}")
    print(f"  inbox only (no channel)        {channels.get('inbox', 0) * scale:8.0f}")
    for what, dollars in cost.items():
        print(f"  cost: {what:<24} ${dollars:8.2f}")
    prices = f"SMS ${SMS_PART}/part, email ${EMAIL * 1000:.2f}/1,000, DynamoDB ${DYNAMODB_WRITE * 1e6}/M writes"
    print(f"  cost per 1,000 applications    ${sum(cost.values()):8.2f}   ({prices})")


if __name__ == "__main__":
    main()
