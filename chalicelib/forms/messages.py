"""What each answer error code says to the person, in each locale the portal ships (en, fr, ar)."""

from __future__ import annotations

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
        "en": "Enter a real date, for example 2019-03-27.",
        "fr": "Saisissez une date réelle, par exemple 2019-03-27.",
        "ar": "أدخل تاريخًا صحيحًا، مثل 2019-03-27.",
    },
    "not_an_email": {
        "en": "Enter an email address like name@example.org.",
        "fr": "Saisissez une adresse e-mail comme nom@exemple.org.",
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
    "invalid": {
        "en": "Check this answer.",
        "fr": "Vérifiez cette réponse.",
        "ar": "تحقق من هذه الإجابة.",
    },
}


def message(code: str) -> dict[str, str]:
    return MESSAGES.get(code, MESSAGES["invalid"])
