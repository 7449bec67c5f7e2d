"""What each answer error code says to the person, in each locale the portal ships (en, fr, ar):
the form's own message for the question when it gives one, else the message for the kind of
question ("Enter a phone number, like 0712 345 678"), else the code's general message. The
browser says the same (``frontend/src/forms/render.tsx``, ``field.error.*`` in its catalogs).
"""

from __future__ import annotations

from typing import Any

from chalicelib.forms.typed import is_phone

LOCALES = ("en", "fr", "ar")

MESSAGES: dict[str, dict[str, str]] = {
    "required": {
        "en": "Answer this question.",
        "fr": "Répondez à cette question.",
        "ar": "أجب عن هذا السؤال.",
    },
    "wrong_type": {
        "en": "This answer is not the right kind of value.",
        "fr": "Cette réponse n'est pas du bon type.",
        "ar": "هذه الإجابة ليست من النوع الصحيح.",
    },
    "not_allowed_value": {
        "en": "Choose one of the options given.",
        "fr": "Choisissez l'une des options proposées.",
        "ar": "اختر أحد الخيارات المعروضة.",
    },
    "too_long": {
        "en": "This answer is too long.",
        "fr": "Cette réponse est trop longue.",
        "ar": "هذه الإجابة طويلة جدًا.",
    },
    "too_short": {
        "en": "This answer is too short.",
        "fr": "Cette réponse est trop courte.",
        "ar": "هذه الإجابة قصيرة جدًا.",
    },
    "too_large": {
        "en": "This number is too large.",
        "fr": "Ce nombre est trop grand.",
        "ar": "هذا الرقم كبير جدًا.",
    },
    "too_small": {
        "en": "This number is too small.",
        "fr": "Ce nombre est trop petit.",
        "ar": "هذا الرقم صغير جدًا.",
    },
    "wrong_step": {
        "en": "Enter a whole number of the unit asked for.",
        "fr": "Saisissez un multiple de l'unité demandée.",
        "ar": "أدخل مضاعفًا للوحدة المطلوبة.",
    },
    "wrong_format": {
        "en": "This answer is not in the expected format.",
        "fr": "Cette réponse n'a pas le format attendu.",
        "ar": "هذه الإجابة ليست بالتنسيق المتوقع.",
    },
    "not_a_date": {
        "en": "Enter a real date, like 27 3 2019.",
        "fr": "Saisissez une date qui existe, par exemple 27 3 2019.",
        "ar": "أدخل تاريخًا صحيحًا، مثل 27 3 2019.",
    },
    "not_an_email": {
        "en": "Enter an email address in the correct format, like name@example.org.",
        "fr": "Saisissez une adresse e-mail au bon format, par exemple nom@exemple.org.",
        "ar": "أدخل بريدًا إلكترونيًا مثل name@example.org.",
    },
    "too_many": {
        "en": "Choose fewer options.",
        "fr": "Choisissez moins d'options.",
        "ar": "اختر خيارات أقل.",
    },
    "too_few": {
        "en": "Choose more options.",
        "fr": "Choisissez davantage d'options.",
        "ar": "اختر خيارات أكثر.",
    },
    "duplicate": {
        "en": "Each option can be chosen only once.",
        "fr": "Chaque option ne peut être choisie qu'une fois.",
        "ar": "يمكن اختيار كل خيار مرة واحدة فقط.",
    },
    "unknown_field": {
        "en": "This form has no such question.",
        "fr": "Ce formulaire ne comporte pas cette question.",
        "ar": "لا يحتوي هذا النموذج على هذا السؤال.",
    },
    "read_only": {
        "en": "This answer comes from your verified identity and cannot be changed here.",
        "fr": "Cette réponse provient de votre identité vérifiée et ne peut pas être modifiée ici.",
        "ar": "هذه الإجابة مأخوذة من هويتك الموثقة ولا يمكن تغييرها هنا.",
    },
    "required_document_missing": {
        "en": "Upload this document before you submit.",
        "fr": "Téléversez ce document avant de soumettre.",
        "ar": "حمّل هذا المستند قبل الإرسال.",
    },
    "unknown_document": {
        "en": "Upload this document again: we could not find it among this application's documents.",
        "fr": "Téléversez à nouveau ce document : nous ne le trouvons pas parmi les documents de cette demande.",
        "ar": "حمّل هذا المستند مرة أخرى: لم نجده بين مستندات هذا الطلب.",
    },
    "consent_required": {
        "en": "Agree to this statement to apply.",
        "fr": "Acceptez cette déclaration pour faire votre demande.",
        "ar": "وافق على هذا البيان لتقديم طلبك.",
    },
    "in_future": {
        "en": "Enter a date in the past.",
        "fr": "Saisissez une date passée.",
        "ar": "أدخل تاريخًا في الماضي.",
    },
    "invalid": {
        "en": "Check this answer.",
        "fr": "Vérifiez cette réponse.",
        "ar": "تحقق من هذه الإجابة.",
    },
}


# Messages that say what a kind of question expects, by (kind, code).
KIND_MESSAGES: dict[tuple[str, str], dict[str, str]] = {
    ("phone", "wrong_format"): {
        "en": "Enter a phone number, like 0712 345 678.",
        "fr": "Saisissez un numéro de téléphone, par exemple 0712 345 678.",
        "ar": "أدخل رقم هاتف، مثل \u20660712 345 678\u2069.",
    },
    ("international_phone", "wrong_format"): {
        "en": "Enter a phone number with its country code, like +254 712 345 678.",
        "fr": "Saisissez un numéro de téléphone avec l’indicatif du pays, par exemple +254 712 345 678.",
        "ar": "أدخل رقم هاتف مع رمز البلد، مثل \u2066+254 712 345 678\u2069.",
    },
    ("integer", "wrong_type"): {
        "en": "Enter a whole number, like 3.",
        "fr": "Saisissez un nombre entier, par exemple 3.",
        "ar": "أدخل عددًا صحيحًا، مثل 3.",
    },
    ("number", "wrong_type"): {
        "en": "Enter a number, like 2.5.",
        "fr": "Saisissez un nombre, par exemple 2,5.",
        "ar": "أدخل رقمًا، مثل 2.5.",
    },
    ("email", "wrong_format"): MESSAGES["not_an_email"],
    ("date", "wrong_format"): MESSAGES["not_a_date"],
    ("date", "wrong_type"): MESSAGES["not_a_date"],
}


def message(code: str) -> dict[str, str]:
    return MESSAGES.get(code, MESSAGES["invalid"])


def question_kind(name: str, schema: dict[str, Any] | None, ui: dict[str, Any] | None = None) -> str:
    """What a question asks for, as far as its messages go: phone, international_phone, email,
    date, integer, number or text."""
    schema = schema or {}
    if is_phone(name, schema, ui):
        pattern = str(schema.get("pattern", ""))
        required_plus = pattern.startswith(("^\\+", "^[+]")) and not pattern.startswith(("^\\+?", "^[+]?"))
        return "international_phone" if required_plus else "phone"
    if schema.get("format") in ("email", "date"):
        return str(schema["format"])
    if schema.get("type") in ("integer", "number"):
        return str(schema["type"])
    return "text"


def field_message(code: str, schema: dict[str, Any] | None, ui: dict[str, Any] | None, name: str = "") -> dict[str, str]:
    """The message for one question's problem: the form's own (``ui["errors"][code]``, any
    locale it leaves out in the general words), else its kind's, else the code's."""
    general = KIND_MESSAGES.get((question_kind(name, schema, ui), code)) or message(code)
    own = (ui or {}).get("errors")
    given = own.get(code) if isinstance(own, dict) else None
    if isinstance(given, dict):
        return {locale: given[locale] if isinstance(given.get(locale), str) else general[locale] for locale in LOCALES}
    return general
