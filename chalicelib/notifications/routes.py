"""Routes of the notifications area: the person's messages and contact choices, the status check
without login, and the administrators' templates and parked messages."""

from __future__ import annotations

import re
from typing import Any

from chalicelib.errors import ValidationFailed
from chalicelib.identity.callers import Actor, RegistrantCaller, StaffCaller
from chalicelib.notifications import inbox, program_templates, status
from chalicelib.notifications.schemas import CHANNELS, CODE, CONTACT, EMAIL, MESSAGES_QUERY, PHONE, PREVIEW, STATUS, TEMPLATES
from chalicelib.registrants import contacts
from chalicelib.store.pagination import QUERY_PARAMS, page_args
from chalicelib.web import PUBLIC, REGISTRANT, ApiBlueprint, json_response, staff

bp = ApiBlueprint(__name__, tag="notifications")

ADMINS = ("admin",)
CONTACT_PATTERNS = {"sms": re.compile(PHONE), "email": re.compile(EMAIL)}


@bp.api("/me/messages", "GET", summary="Every message sent to me, newest first, with its channel and delivery state", access=REGISTRANT, query=MESSAGES_QUERY)
def get_my_messages(who: RegistrantCaller, query: dict[str, Any]) -> Any:
    return inbox.my_messages(who.registrant_id, *page_args(query), application_id=query.get("application_id"))


@bp.api("/me/contacts", "GET", summary="How I am told: my channels and the contacts they use", access=REGISTRANT)
def get_my_contacts(who: RegistrantCaller) -> Any:
    return contacts.settings_of(who.registrant_id)


@bp.api(
    "/me/contacts",
    "PUT",
    summary="Choose SMS, email, both or none",
    access=REGISTRANT,
    body=CHANNELS,
    responses={200: "kept", 422: "a channel without a confirmed contact"},
)
def put_my_contacts(who: RegistrantCaller, body: dict[str, Any]) -> Any:
    return contacts.choose_channels(who.registrant_id, body["channels"])


@bp.api(
    "/me/contacts/{channel}",
    "POST",
    summary="Give a phone number or email address: a code is sent to it",
    access=REGISTRANT,
    body=CONTACT,
    responses={202: "a code is on its way"},
)
def post_my_contact(who: RegistrantCaller, channel: str, body: dict[str, Any]) -> Any:
    value = body["value"].strip()
    pattern = CONTACT_PATTERNS.get(channel)
    if pattern is None:
        raise ValidationFailed(fields={"/channel": "not_allowed_value"})
    if not pattern.match(value):
        raise ValidationFailed("This is not a phone number in international form (+...) or an email address.", fields={"/value": "wrong_format"})
    return json_response(contacts.start_confirmation(who.registrant_id, channel, value), status=202)


@bp.api("/me/contacts/{channel}/confirm", "POST", summary="Confirm a phone number or email address with the code sent to it", access=REGISTRANT, body=CODE)
def confirm_my_contact(who: RegistrantCaller, channel: str, body: dict[str, Any]) -> Any:
    if channel not in CONTACT_PATTERNS:
        raise ValidationFailed(fields={"/channel": "not_allowed_value"})
    return contacts.confirm(who.registrant_id, channel, body["code"])


@bp.api(
    "/status",
    "POST",
    summary="An application's status and what to do next, from its reference and the date of birth (no login)",
    access=PUBLIC,
    body=STATUS,
    responses={200: "the status and the next step", 404: "no application with this reference and date of birth", 429: "too many tries"},
)
def post_status(body: dict[str, Any]) -> Any:
    context = bp.current_request.context or {}
    client = str((context.get("identity") or {}).get("sourceIp") or "unknown")
    return status.check_status(body["reference"], body["date_of_birth"], client)


@bp.api("/admin/programs/{program_id}/templates", "GET", summary="A program's message templates, with previews and SMS segment counts", access=staff(*ADMINS))
def get_templates(who: StaffCaller, program_id: str) -> Any:
    return program_templates.templates_of(program_id)


@bp.api(
    "/admin/programs/{program_id}/templates",
    "PUT",
    summary="Replace a program's own wording of its messages",
    access=staff(*ADMINS),
    body=TEMPLATES,
    responses={200: "saved", 422: "an unknown event, language or placeholder"},
)
def put_templates(who: StaffCaller, program_id: str, body: dict[str, Any]) -> Any:
    return program_templates.save_templates(program_id, body["templates"], Actor.staff(who, ADMINS))


@bp.api("/admin/programs/{program_id}/templates/preview", "POST", summary="A template filled with sample values", access=staff(*ADMINS), body=PREVIEW)
def preview_template(who: StaffCaller, program_id: str, body: dict[str, Any]) -> Any:
    return program_templates.preview(program_id, body["event_type"], body["locale"], body.get("template"))


@bp.api("/admin/messages/parked", "GET", summary="Messages every try of which failed", access=staff(*ADMINS), query=QUERY_PARAMS)
def get_parked(who: StaffCaller, query: dict[str, Any]) -> Any:
    return inbox.parked_messages(*page_args(query))


@bp.api("/admin/registrants/{registrant_id}/messages/{message_id}/resend", "POST", summary="Send a parked message again", access=staff(*ADMINS))
def resend(who: StaffCaller, registrant_id: str, message_id: str) -> Any:
    return inbox.resend_parked(registrant_id, message_id, Actor.staff(who, ADMINS))
