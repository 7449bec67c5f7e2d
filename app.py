"""The Chalice app: one Blueprint per area under /api, the HTTP middleware, and the outbox stream's consumer. Nothing else."""

from __future__ import annotations

import gc

# Building the app creates many long-lived objects (models, routes, schemas) and no garbage: the
# collector's passes meanwhile are pure cold-start cost. It runs again once the app is built, with
# what was built frozen out of its way (gc.freeze), so each request's collections stay small too.
gc.disable()

from collections.abc import Callable
from typing import Any

from chalice import Chalice
from chalice.app import DynamoDBEvent, SQSEvent

from chalicelib.apidoc.routes import bp as apidoc_routes
from chalicelib.auth.resolver import resolve_caller
from chalicelib.auth.routes import bp as auth_routes
from chalicelib.devices.routes import bp as device_routes
from chalicelib.documents.routes import bp as document_routes
from chalicelib.forms.routes import bp as form_routes
from chalicelib.integrations.feed_routes import bp as integration_feed_routes
from chalicelib.integrations.routes import bp as integration_routes
from chalicelib.notifications.routes import bp as notification_routes
from chalicelib.person.routes import bp as person_routes
from chalicelib.programs.routes import bp as program_routes
from chalicelib.registrants.routes import bp as registrant_routes
from chalicelib.web import API_PREFIX, http_middleware, use_caller_resolver

use_caller_resolver(resolve_caller)

app = Chalice(app_name="self-service-portal")
app.api.binary_types = []  # every answer is JSON or HTML text

for blueprint in (
    apidoc_routes,
    auth_routes,
    program_routes,
    form_routes,
    registrant_routes,
    person_routes,
    document_routes,
    device_routes,
    notification_routes,
    integration_routes,
    integration_feed_routes,
):
    app.register_blueprint(blueprint, url_prefix=API_PREFIX)


gc.freeze()
gc.enable()


@app.middleware("http")
def _http(event: Any, get_response: Callable[[Any], Any]) -> Any:
    return http_middleware(event, get_response, app.lambda_context)


# The outbox table's stream; infra/package.py points it at the events table's StreamArn.
EVENTS_STREAM = "arn:aws:dynamodb:eu-west-1:000000000000:table/ssp-events/stream/set-by-the-template"


@app.on_dynamodb_record(stream_arn=EVENTS_STREAM, batch_size=25, starting_position="TRIM_HORIZON", name="deliver_events")
def deliver_events(event: DynamoDBEvent) -> None:
    """Messages for each new outbox event (the local stack's launcher calls this same function)."""
    # The delivery code (providers, templates) loads in this function's Lambda only, not on every
    # API cold start that imports this module too.
    from chalicelib.notifications.delivery import handle_stream_images

    handle_stream_images(record.new_image for record in event if record.event_name == "INSERT")


@app.on_dynamodb_record(stream_arn=EVENTS_STREAM, batch_size=25, starting_position="TRIM_HORIZON", name="fan_out_webhooks")
def fan_out_webhooks(event: DynamoDBEvent) -> None:
    """One queued delivery per new outbox event and endpoint that wants it (docs/integrations.md)."""
    # Delivery code (signing, HTTP) loads in the webhook functions' Lambdas only.
    from chalicelib.integrations.delivery import fan_out

    fan_out(record.new_image for record in event if record.event_name == "INSERT")


# The deliveries' FIFO queue; infra/template.yaml points the event source at its Arn.
WEBHOOKS_QUEUE = "arn:aws:sqs:eu-west-1:000000000000:ssp-webhooks.fifo"


@app.on_sqs_message(queue_arn=WEBHOOKS_QUEUE, batch_size=1, name="deliver_webhooks")
def deliver_webhooks(event: SQSEvent) -> dict[str, Any]:
    """One signed try of a queued delivery; a failed one is put back for its backoff (batch item failure)."""
    from chalicelib.integrations.delivery import handle_queue_records

    return handle_queue_records([record.to_dict() for record in event])
