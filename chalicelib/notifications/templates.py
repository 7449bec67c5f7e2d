"""Message templates per event and language, a program's own wording, and SMS segment counts.

A template is ``{"sms", "subject", "email"}`` with ``{placeholders}``. Only the placeholders
below exist: a message holds no personal data beyond the person's first name and the
application's reference, and a link to the application. A program's administrators may reword
any of them; a placeholder that does not exist is refused when they save.
"""

# ruff: noqa: E501 - a message reads best on one line each
from __future__ import annotations

import string
from typing import Any

from chalicelib import config

LOCALES = ("en", "fr", "ar")
PARTS = ("sms", "subject", "email")
PLACEHOLDERS = frozenset({"first_name", "reference", "program", "link", "code"})
MAX_LENGTH = {"sms": 480, "subject": 150, "email": 4000}

# Kept short: 160 GSM-7 characters are one SMS, and one character outside GSM-7 (Arabic, or a
# "ç") turns the whole text into UCS-2, 70 characters a part. The French texts avoid ç, ê, â, î, ô.
DEFAULTS: dict[str, dict[str, dict[str, str]]] = {
    "application.submitted": {
        "en": {
            "sms": "{first_name}, we received your application {reference}. We will text you when it moves on. {link}",
            "subject": "We received your application {reference}",
            "email": "Hello {first_name},\n\nWe received your application {reference} to {program}. We will tell you when it moves on.\n\n{link}",
        },
        "fr": {
            "sms": "{first_name}, votre demande {reference} est bien arrivée. Nous vous informerons de la suite. {link}",
            "subject": "Votre demande {reference} est bien arrivée",
            "email": "Bonjour {first_name},\n\nVotre demande {reference} au programme {program} est bien arrivée. Nous vous informerons de la suite.\n\n{link}",
        },
        "ar": {
            "sms": "{first_name}، وصلنا طلبك {reference}. {link}",
            "subject": "وصلنا طلبك {reference}",
            "email": "مرحبا {first_name}،\n\nوصلنا طلبك {reference} إلى {program}. سنخبرك عند كل تقدم.\n\n{link}",
        },
    },
    "application.information_requested": {
        "en": {
            "sms": "{first_name}, we need more information for your application {reference}. Please log in: {link}",
            "subject": "We need more information: application {reference}",
            "email": "Hello {first_name},\n\nWe need more information for your application {reference} to {program}. Please log in to see what is needed and answer.\n\n{link}",
        },
        "fr": {
            "sms": "{first_name}, il nous manque des informations pour votre demande {reference}. Connectez-vous : {link}",
            "subject": "Informations manquantes : demande {reference}",
            "email": "Bonjour {first_name},\n\nIl nous manque des informations pour votre demande {reference} au programme {program}. Connectez-vous pour voir ce qui est demandé et répondre.\n\n{link}",
        },
        "ar": {
            "sms": "{first_name}، نحتاج معلومات لطلبك {reference}: {link}",
            "subject": "نحتاج معلومات إضافية: الطلب {reference}",
            "email": "مرحبا {first_name}،\n\nنحتاج معلومات إضافية لطلبك {reference} إلى {program}. سجّل الدخول لترى المطلوب وتجيب.\n\n{link}",
        },
    },
    "application.information_received": {
        "en": {
            "sms": "{first_name}, we received your answer for application {reference}. {link}",
            "subject": "We received your answer: application {reference}",
            "email": "Hello {first_name},\n\nWe received your answer for application {reference} to {program}. It is back with the reviewers.\n\n{link}",
        },
        "fr": {
            "sms": "{first_name}, votre réponse pour la demande {reference} est bien arrivée. {link}",
            "subject": "Votre réponse est arrivée : demande {reference}",
            "email": "Bonjour {first_name},\n\nVotre réponse pour la demande {reference} au programme {program} est bien arrivée. Elle est de nouveau à l'étude.\n\n{link}",
        },
        "ar": {
            "sms": "{first_name}، وصلنا ردك على الطلب {reference}. {link}",
            "subject": "وصلنا ردك: الطلب {reference}",
            "email": "مرحبا {first_name}،\n\nوصلنا ردك على الطلب {reference} إلى {program}. عاد الطلب إلى المراجعة.\n\n{link}",
        },
    },
    "application.approved": {
        "en": {
            "sms": "{first_name}, your application {reference} was approved. {link}",
            "subject": "Your application {reference} was approved",
            "email": "Hello {first_name},\n\nYour application {reference} to {program} was approved. Log in to see what happens next.\n\n{link}",
        },
        "fr": {
            "sms": "{first_name}, votre demande {reference} est acceptée. {link}",
            "subject": "Votre demande {reference} est acceptée",
            "email": "Bonjour {first_name},\n\nVotre demande {reference} au programme {program} est acceptée. Connectez-vous pour voir la suite.\n\n{link}",
        },
        "ar": {
            "sms": "{first_name}، تمت الموافقة على طلبك {reference}. {link}",
            "subject": "تمت الموافقة على طلبك {reference}",
            "email": "مرحبا {first_name}،\n\nتمت الموافقة على طلبك {reference} إلى {program}. سجّل الدخول لترى الخطوة التالية.\n\n{link}",
        },
    },
    "application.rejected": {
        "en": {
            "sms": "{first_name}, a decision was made on your application {reference}. Please log in to read it: {link}",
            "subject": "A decision on your application {reference}",
            "email": "Hello {first_name},\n\nA decision was made on your application {reference} to {program}. Log in to read it and the reason.\n\n{link}",
        },
        "fr": {
            "sms": "{first_name}, une décision a été prise sur votre demande {reference}. Connectez-vous : {link}",
            "subject": "Une décision sur votre demande {reference}",
            "email": "Bonjour {first_name},\n\nUne décision a été prise sur votre demande {reference} au programme {program}. Connectez-vous pour la lire avec son motif.\n\n{link}",
        },
        "ar": {
            "sms": "{first_name}، صدر قرار بشأن طلبك {reference}: {link}",
            "subject": "قرار بشأن طلبك {reference}",
            "email": "مرحبا {first_name}،\n\nصدر قرار بشأن طلبك {reference} إلى {program}. سجّل الدخول لقراءته وسببه.\n\n{link}",
        },
    },
    "application.enrolled": {
        "en": {
            "sms": "{first_name}, you are now enrolled (application {reference}). {link}",
            "subject": "You are enrolled: application {reference}",
            "email": "Hello {first_name},\n\nYou are now enrolled in {program} (application {reference}).\n\n{link}",
        },
        "fr": {
            "sms": "{first_name}, votre inscription est faite (demande {reference}). {link}",
            "subject": "Vous êtes inscrit : demande {reference}",
            "email": "Bonjour {first_name},\n\nVous êtes inscrit au programme {program} (demande {reference}).\n\n{link}",
        },
        "ar": {
            "sms": "{first_name}، تم تسجيلك (الطلب {reference}). {link}",
            "subject": "تم تسجيلك: الطلب {reference}",
            "email": "مرحبا {first_name}،\n\nتم تسجيلك في {program} (الطلب {reference}).\n\n{link}",
        },
    },
    "application.withdrawn": {
        "en": {
            "sms": "{first_name}, your application {reference} was withdrawn. {link}",
            "subject": "Your application {reference} was withdrawn",
            "email": "Hello {first_name},\n\nYour application {reference} to {program} was withdrawn. If you did not do this, contact us.\n\n{link}",
        },
        "fr": {
            "sms": "{first_name}, votre demande {reference} a été retirée. {link}",
            "subject": "Votre demande {reference} a été retirée",
            "email": "Bonjour {first_name},\n\nVotre demande {reference} au programme {program} a été retirée. Si ce n'est pas vous, contactez-nous.\n\n{link}",
        },
        "ar": {
            "sms": "{first_name}، تم سحب طلبك {reference}. {link}",
            "subject": "تم سحب طلبك {reference}",
            "email": "مرحبا {first_name}،\n\nتم سحب طلبك {reference} إلى {program}. إن لم تفعل ذلك فاتصل بنا.\n\n{link}",
        },
    },
    "change_request.decided": {
        "en": {
            "sms": "{first_name}, we decided on your change to your details. {link}",
            "subject": "A decision on your change of details",
            "email": "Hello {first_name},\n\nWe decided on the change you asked to your details. Log in to see it.\n\n{link}",
        },
        "fr": {
            "sms": "{first_name}, votre demande de modification a été traitée. {link}",
            "subject": "Votre demande de modification a été traitée",
            "email": "Bonjour {first_name},\n\nVotre demande de modification de vos informations a été traitée. Connectez-vous pour la voir.\n\n{link}",
        },
        "ar": {
            "sms": "{first_name}، تمت معالجة طلب تعديل بياناتك. {link}",
            "subject": "تمت معالجة طلب تعديل بياناتك",
            "email": "مرحبا {first_name}،\n\nتمت معالجة طلب تعديل بياناتك. سجّل الدخول لتراه.\n\n{link}",
        },
    },
    "document.refused": {
        "en": {
            "sms": "{first_name}, a document you sent was not accepted. Please log in to send another: {link}",
            "subject": "A document was not accepted",
            "email": "Hello {first_name},\n\nA document you sent was not accepted. Log in to see why and send another.\n\n{link}",
        },
        "fr": {
            "sms": "{first_name}, un document envoyé n'a pas été accepté. Connectez-vous : {link}",
            "subject": "Un document n'a pas été accepté",
            "email": "Bonjour {first_name},\n\nUn document que vous avez envoyé n'a pas été accepté. Connectez-vous pour voir pourquoi et en envoyer un autre.\n\n{link}",
        },
        "ar": {
            "sms": "{first_name}، لم يُقبل مستند أرسلته: {link}",
            "subject": "لم يُقبل مستند أرسلته",
            "email": "مرحبا {first_name}،\n\nلم يُقبل مستند أرسلته. سجّل الدخول لترى السبب وترسل غيره.\n\n{link}",
        },
    },
    "assisted_session.opened": {
        "en": {
            "sms": "{first_name}, an officer is helping you with your applications now. Not you? Tell us: {link}",
            "subject": "An officer is helping you",
            "email": "Hello {first_name},\n\nAn officer confirmed who you are and is helping you with your applications now. If this is not you, tell us.\n\n{link}",
        },
        "fr": {
            "sms": "{first_name}, un agent vous aide en ce moment. Pas vous ? Dites-le-nous : {link}",
            "subject": "Un agent vous aide",
            "email": "Bonjour {first_name},\n\nUn agent a confirmé votre identité et vous aide en ce moment. Si ce n'est pas vous, dites-le-nous.\n\n{link}",
        },
        "ar": {
            "sms": "{first_name}، يساعدك موظف الآن. لست أنت؟ أخبرنا: {link}",
            "subject": "موظف يساعدك",
            "email": "مرحبا {first_name}،\n\nتحقق موظف من هويتك ويساعدك الآن. إن لم تكن أنت فأخبرنا.\n\n{link}",
        },
    },
    "contact.confirmation_requested": {
        "en": {
            "sms": "Your code is {code}. It ends in 10 minutes.",
            "subject": "Your code: {code}",
            "email": "Your code is {code}. It ends in 10 minutes.\n\nIf you did not ask for it, ignore this message.",
        },
        "fr": {
            "sms": "Votre code est {code}. Il expire dans 10 minutes.",
            "subject": "Votre code : {code}",
            "email": "Votre code est {code}. Il expire dans 10 minutes.\n\nSi vous ne l'avez pas demandé, ignorez ce message.",
        },
        "ar": {
            "sms": "رمزك {code}. ينتهي بعد 10 دقائق.",
            "subject": "رمزك: {code}",
            "email": "رمزك {code}. ينتهي بعد 10 دقائق.\n\nإن لم تطلبه فتجاهل هذه الرسالة.",
        },
    },
}
TEMPLATED = frozenset(DEFAULTS)

# GSM 03.38: the basic set counts one, its extension (escaped) two.
GSM7_BASIC = frozenset("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")


def sms_segments(text: str) -> tuple[str, int]:
    """(encoding, parts) of an SMS: GSM-7 160 alone or 153 a part, else UCS-2 70 or 67 a part."""
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text):
        units = sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
        return "GSM-7", 1 if units <= 160 else -(-units // 153)
    units = len(text.encode("utf-16-le")) // 2
    return "UCS-2", 1 if units <= 70 else -(-units // 67)


def placeholders_in(text: str) -> set[str]:
    """Every ``{name}`` in ``text``; raises ValueError for a brace that opens nothing."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def template_problems(templates: dict[str, Any]) -> dict[str, str]:
    """{JSON pointer: code} for a program's templates: unknown events, languages or parts,
    placeholders that do not exist, text too long or empty."""
    problems: dict[str, str] = {}
    for event_type, by_locale in templates.items():
        if event_type not in TEMPLATED:
            problems[f"/templates/{event_type}"] = "unknown_event"
            continue
        for locale, parts in (by_locale or {}).items():
            if locale not in LOCALES:
                problems[f"/templates/{event_type}/{locale}"] = "unknown_locale"
                continue
            for part, text in (parts or {}).items():
                pointer = f"/templates/{event_type}/{locale}/{part}"
                if part not in PARTS:
                    problems[pointer] = "unknown_part"
                elif not isinstance(text, str) or not text.strip():
                    problems[pointer] = "required"
                elif len(text) > MAX_LENGTH[part]:
                    problems[pointer] = "too_long"
                else:
                    try:
                        names = placeholders_in(text)
                    except ValueError:
                        problems[pointer] = "bad_placeholder"
                        continue
                    if names - PLACEHOLDERS or any(not n for n in names):
                        problems[pointer] = "unknown_placeholder"
    return problems


def template_for(event_type: str, locale: str, overrides: dict[str, Any] | None) -> dict[str, str]:
    """The program's wording where it has one, else the default, in ``locale`` (else English)."""
    language = locale if locale in LOCALES else "en"
    chosen = dict(DEFAULTS[event_type][language])
    chosen.update(((overrides or {}).get(event_type) or {}).get(language) or {})
    return chosen


def render(text: str, values: dict[str, str]) -> str:
    return string.Formatter().vformat(text, (), {name: values.get(name, "") for name in PLACEHOLDERS})


def link_to(reference: str | None) -> str:
    """A short link (it must fit an SMS) that opens the application after login."""
    base = config.get("SSP_PUBLIC_URL").rstrip("/")
    return f"{base}/r/{reference.replace('-', '')}" if reference else f"{base}/applications"


SAMPLE_VALUES = {"first_name": "Amina", "reference": "K7M-Q2X-P4H", "program": "Child Support Grant", "code": "123456"}


def preview(event_type: str, locale: str, overrides: dict[str, Any] | None) -> dict[str, Any]:
    """What a template gives with sample values, and how many SMS parts it takes."""
    values = {**SAMPLE_VALUES, "link": link_to(SAMPLE_VALUES["reference"])}
    chosen = template_for(event_type, locale, overrides)
    sms = render(chosen["sms"], values)
    encoding, parts = sms_segments(sms)
    return {"sms": sms, "subject": render(chosen["subject"], values), "email": render(chosen["email"], values), "sms_encoding": encoding, "sms_segments": parts}
