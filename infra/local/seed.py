"""The sample program the local stack offers: a Child Support Grant with a three-page form.

Made through the forms and programs services, as an administrator would make it through the
API, so it passes the same checks. ``seed_sample_program`` is idempotent: it creates only what
is missing and never reopens a program someone closed.

Form version 2 (``FORM_V2``) asks for each child under 18 (name, date of birth, relationship, a
birth certificate) in a repeating group, prefilled from the household the portal remembers;
version 1 (``FORM``: a count and the youngest child's birth date) stays published, so
applications made with it still read and show their answers.
"""

from __future__ import annotations

from typing import Any

from chalicelib.errors import NotFound
from chalicelib.forms import service as forms
from chalicelib.programs import catalogue

PROGRAM_ID = "child-support-grant"
FORM_ID = "child-support-grant"


def _text(en: str, fr: str, ar: str) -> dict[str, str]:
    return {"en": en, "fr": fr, "ar": ar}


SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 200},
        "birthdate": {"type": "string", "format": "date"},
        "phone": {"type": "string", "pattern": "^\\+?[0-9 ]{7,20}$"},
        "region": {"type": "string", "enum": ["central", "coast", "eastern", "northern", "southern", "western"]},
        "household_size": {"type": "integer", "minimum": 1, "maximum": 30},
        "children_under_18": {"type": "integer", "minimum": 1, "maximum": 20},
        "youngest_child_birthdate": {"type": "string", "format": "date"},
        "caregiver_role": {"type": "string", "enum": ["parent", "grandparent", "guardian", "other"]},
        "receives_other_support": {"type": "boolean"},
        "support_kinds": {
            "type": "array",
            "items": {"type": "string", "enum": ["cash", "food", "school", "health", "housing"]},
            "minItems": 1,
            "uniqueItems": True,
        },
        "other_support_details": {"type": "string", "minLength": 2, "maxLength": 500},
    },
    "required": [
        "name",
        "birthdate",
        "region",
        "household_size",
        "children_under_18",
        "youngest_child_birthdate",
        "caregiver_role",
        "receives_other_support",
    ],
    # Which kinds and the details appear, and are required, only for someone who receives other support.
    "if": {"properties": {"receives_other_support": {"const": True}}, "required": ["receives_other_support"]},
    "then": {"required": ["support_kinds", "other_support_details"]},
}

UI_SCHEMA: dict[str, Any] = {
    "pages": [
        {
            "id": "about-you",
            "title": _text("About you", "À propos de vous", "معلومات عنك"),
            "fields": ["/name", "/birthdate", "/phone", "/region"],
        },
        {
            "id": "household",
            "title": _text("Your household", "Votre foyer", "أسرتك"),
            "fields": [
                "/household_size",
                "/children_under_18",
                "/youngest_child_birthdate",
                "/caregiver_role",
                "/receives_other_support",
                "/support_kinds",
                "/other_support_details",
            ],
        },
    ],
    "fields": {
        "/name": {"widget": "text", "label": _text("Full name", "Nom complet", "الاسم الكامل")},
        "/birthdate": {"widget": "date", "label": _text("Date of birth", "Date de naissance", "تاريخ الميلاد")},
        "/phone": {
            "widget": "text",
            "label": _text("Phone number (optional)", "Numéro de téléphone (facultatif)", "رقم الهاتف (اختياري)"),
            "hint": _text("We may call you about this application.", "Nous pourrions vous appeler au sujet de cette demande.", "قد نتصل بك بشأن هذا الطلب."),
        },
        "/region": {
            "widget": "select",
            "label": _text("Region where you live", "Région où vous habitez", "المنطقة التي تسكن فيها"),
            "hint": _text("The region of your home address.", "La région de votre adresse.", "منطقة عنوان سكنك."),
            "options": {
                "central": _text("Central", "Centre", "الوسطى"),
                "coast": _text("Coast", "Littoral", "الساحلية"),
                "eastern": _text("Eastern", "Est", "الشرقية"),
                "northern": _text("Northern", "Nord", "الشمالية"),
                "southern": _text("Southern", "Sud", "الجنوبية"),
                "western": _text("Western", "Ouest", "الغربية"),
            },
        },
        "/household_size": {"widget": "number", "label": _text("People in your household", "Personnes dans votre foyer", "عدد أفراد أسرتك")},
        "/children_under_18": {
            "widget": "number",
            "label": _text("Children under 18 in your care", "Enfants de moins de 18 ans à votre charge", "الأطفال دون 18 سنة في رعايتك"),
        },
        "/youngest_child_birthdate": {
            "widget": "date",
            "label": _text("Date of birth of the youngest child", "Date de naissance du plus jeune enfant", "تاريخ ميلاد أصغر طفل"),
        },
        "/caregiver_role": {
            "widget": "radio",
            "label": _text("You are the children's", "Vous êtes pour les enfants", "صلتك بالأطفال"),
            "options": {
                "parent": _text("Parent", "Parent", "أحد الوالدين"),
                "grandparent": _text("Grandparent", "Grand-parent", "أحد الأجداد"),
                "guardian": _text("Legal guardian", "Tuteur légal", "وصي قانوني"),
                "other": _text("Other caregiver", "Autre personne", "مقدم رعاية آخر"),
            },
        },
        "/receives_other_support": {
            "widget": "radio",
            "label": _text(
                "Do you receive any other social support?",
                "Recevez-vous une autre aide sociale ?",
                "هل تتلقى أي دعم اجتماعي آخر؟",
            ),
        },
        "/support_kinds": {
            "widget": "checkbox",
            "label": _text("What kind of support do you receive?", "Quel type d'aide recevez-vous ?", "ما نوع الدعم الذي تتلقاه؟"),
            "hint": _text("Select all that apply.", "Cochez toutes les réponses qui s'appliquent.", "اختر كل ما ينطبق."),
            "options": {
                "cash": _text("Cash transfer", "Transfert monétaire", "تحويل نقدي"),
                "food": _text("Food or food vouchers", "Nourriture ou bons alimentaires", "غذاء أو قسائم غذائية"),
                "school": _text("School fees or uniforms", "Frais ou uniformes scolaires", "رسوم أو زي مدرسي"),
                "health": _text("Health care", "Soins de santé", "رعاية صحية"),
                "housing": _text("Housing", "Logement", "سكن"),
            },
        },
        "/other_support_details": {
            "widget": "textarea",
            "label": _text(
                "Who gives this support, and how much each month?",
                "Qui vous verse cette aide, et quel montant par mois ?",
                "من يقدّم هذا الدعم، وكم قيمته شهريًا؟",
            ),
        },
    },
}

FORM: dict[str, Any] = {
    "title": _text("Child Support Grant application", "Demande d'allocation de soutien à l'enfant", "طلب منحة دعم الطفل"),
    "schema": SCHEMA,
    "ui_schema": UI_SCHEMA,
    # Verified by the identity provider, hence read-only in the answers.
    "prefill": {"/name": "profile.name", "/birthdate": "profile.birthdate"},
}

CHILDREN_PAGE_FIELDS = ["/children"]

# Version 2: each child under 18, instead of a count and the youngest child's birth date.
SCHEMA_V2: dict[str, Any] = {
    **{k: v for k, v in SCHEMA.items() if k not in {"properties", "required"}},
    "properties": {
        **{k: v for k, v in SCHEMA["properties"].items() if k not in {"children_under_18", "youngest_child_birthdate"}},
        "children": {
            "type": "array",
            "minItems": 1,
            "maxItems": 30,
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "minLength": 1, "maxLength": 100},
                    "birth_date": {"type": "string", "format": "date"},
                    "relationship": {"type": "string", "enum": ["son", "daughter", "grandchild", "other"]},
                    "relationship_other": {"type": "string", "minLength": 2, "maxLength": 60},
                    "birth_certificate": {"type": "string", "maxLength": 64},
                },
                # The certificate is asked on each child's page; the program requires at least one
                # (an officer may still upload it on the documents page, where no child is named).
                "required": ["name", "birth_date", "relationship"],
                "if": {"properties": {"relationship": {"const": "other"}}, "required": ["relationship"]},
                "then": {"required": ["relationship_other"]},
            },
        },
    },
    "required": [name for name in SCHEMA["required"] if name not in {"children_under_18", "youngest_child_birthdate"}] + ["children"],
}

UI_SCHEMA_V2: dict[str, Any] = {
    "pages": [
        UI_SCHEMA["pages"][0],
        {
            "id": "children",
            "title": _text("Your children", "Vos enfants", "أطفالك"),
            "fields": CHILDREN_PAGE_FIELDS,
        },
        {
            "id": "household",
            "title": _text("Your household", "Votre foyer", "أسرتك"),
            "fields": [
                "/household_size",
                "/caregiver_role",
                "/receives_other_support",
                "/support_kinds",
                "/other_support_details",
            ],
        },
    ],
    "fields": {
        **{k: v for k, v in UI_SCHEMA["fields"].items() if k not in {"/children_under_18", "/youngest_child_birthdate"}},
        "/children": {
            "widget": "group",
            "label": _text("Children under 18 in your care", "Enfants de moins de 18 ans à votre charge", "الأطفال دون 18 سنة في رعايتك"),
            "hint": _text("Add each child, one at a time.", "Ajoutez chaque enfant, un par un.", "أضف كل طفل على حدة."),
            "item_label": _text("child", "enfant", "طفل"),
            "items_label": _text("children", "enfants", "أطفال"),
            "summary_field": "name",
        },
        "/children/name": {"widget": "text", "label": _text("Child's full name", "Nom complet de l'enfant", "الاسم الكامل للطفل")},
        "/children/birth_date": {"widget": "date", "label": _text("Child's date of birth", "Date de naissance de l'enfant", "تاريخ ميلاد الطفل")},
        "/children/relationship": {
            "widget": "radio",
            "label": _text("The child is your", "L'enfant est votre", "الطفل هو"),
            "options": {
                "son": _text("Son", "Fils", "ابنك"),
                "daughter": _text("Daughter", "Fille", "ابنتك"),
                "grandchild": _text("Grandchild", "Petit-enfant", "حفيدك"),
                "other": _text("Other relationship", "Autre lien", "صلة أخرى"),
            },
        },
        "/children/relationship_other": {
            "widget": "text",
            "label": _text("How are you related?", "Quel est votre lien ?", "ما صلة القرابة؟"),
        },
        "/children/birth_certificate": {
            "widget": "document",
            "document_kind": "birth_certificate",
            # No hint of its own: the page states the file types and size the programme allows.
            "label": _text("Child's birth certificate", "Acte de naissance de l'enfant", "شهادة ميلاد الطفل"),
        },
    },
}

FORM_V2: dict[str, Any] = {
    **FORM,
    "schema": SCHEMA_V2,
    "ui_schema": UI_SCHEMA_V2,
    "prefill": {
        **FORM["prefill"],
        # Children the person listed before (or their ID provider released) start the list: they confirm or change them.
        "/children": {"from": "household", "fields": {"name": "name", "birth_date": "birth_date", "relationship": "relationship"}},
    },
}

PROGRAM: dict[str, Any] = {
    "name": _text("Child Support Grant", "Allocation de soutien à l'enfant", "منحة دعم الطفل"),
    "description": _text(
        "A monthly grant for people caring for children under 18.",
        "Une allocation mensuelle pour les personnes qui ont des enfants de moins de 18 ans à charge.",
        "منحة شهرية لمن يرعون أطفالًا دون سن 18 عامًا.",
    ),
    "eligibility": _text(
        "You care for at least one child under 18 who lives with you.",
        "Vous avez à charge au moins un enfant de moins de 18 ans qui vit avec vous.",
        "ترعى طفلًا واحدًا على الأقل دون سن 18 عامًا يعيش معك.",
    ),
    "benefit": _text("300 a month for each child", "300 par mois pour chaque enfant", "300 شهريًا لكل طفل"),
    "decision_days": 30,
    "policy": {"kind": "one_active"},
    "documents": [
        {
            "kind": "birth_certificate",
            "label": _text("Birth certificates of the children", "Actes de naissance des enfants", "شهادات ميلاد الأطفال"),
            "required": True,
            "content_types": ["application/pdf", "image/jpeg", "image/png"],
            "max_bytes": 5 * 1024 * 1024,
        }
    ],
}


def seed_sample_program() -> str:
    """Make sure the sample program exists, with its forms published and version 2 mapped; its id."""
    try:
        form = forms.version_of(FORM_ID, 1)
    except NotFound:
        form = forms.create_form(FORM, form_id=FORM_ID)
    if form["status"] != forms.PUBLISHED:
        forms.publish(FORM_ID, 1)
    try:
        second = forms.version_of(FORM_ID, 2)
    except NotFound:
        second = forms.add_version(FORM_ID, FORM_V2)
    if second["status"] != forms.PUBLISHED:
        forms.publish(FORM_ID, 2)
    try:
        program = catalogue.admin_view(PROGRAM_ID)
    except NotFound:
        program = catalogue.create_program(PROGRAM, program_id=PROGRAM_ID)
    if program["form_id"] is None or int(program.get("form_version") or 0) < 2:
        program = catalogue.map_form(PROGRAM_ID, FORM_ID, 2)
    if program["state"] == "draft":
        catalogue.change_state(PROGRAM_ID, "open")
    return PROGRAM_ID
