"""The export's readable page and "everything you have sent us" read the way the pages do (one way
of showing answers): dates in words in the person's language, Yes/No, lists separated, documents by
file name, labels not keys, sizes with units; no ISO timestamps, JSON, "True" or internal ids; a
card layout a 360 px phone shows without scrolling sideways; honest about how long links work."""

from __future__ import annotations

import re
from typing import Any

import pytest

from chalicelib.person import format as fmt
from chalicelib.person.export import STYLE, fold_activity, render_html
from chalicelib.person.submissions import describe

DEFINITION = {
    "schema": {
        "type": "object",
        "properties": {
            "born": {"type": "string", "format": "date"},
            "disabled": {"type": "boolean"},
            "kinds": {"type": "array", "items": {"type": "string", "enum": ["food", "health", "housing"]}},
            "id_card": {"type": "string"},
            "household_size": {"type": "integer"},
            "children": {
                "type": "array",
                "items": {"type": "object", "properties": {"name": {"type": "string"}, "born": {"type": "string", "format": "date"}}},
            },
        },
    },
    "ui_schema": {
        "fields": {
            "/born": {"widget": "date", "label": {"en": "Date of birth", "fr": "Date de naissance", "ar": "تاريخ الميلاد"}},
            "/disabled": {"label": {"en": "Do you have a disability?", "fr": "Avez-vous un handicap ?", "ar": "هل لديك إعاقة؟"}},
            "/kinds": {
                "widget": "checkbox",
                "label": {"en": "Help you need", "fr": "Aide", "ar": "المساعدة"},
                "options": {
                    "food": {"en": "Food", "fr": "Nourriture", "ar": "غذاء"},
                    "health": {"en": "Health care", "fr": "Soins", "ar": "رعاية صحية"},
                    "housing": {"en": "Housing", "fr": "Logement", "ar": "سكن"},
                },
            },
            "/id_card": {"widget": "document", "label": {"en": "Your ID card", "fr": "Votre carte", "ar": "بطاقتك"}},
            "/household_size": {"label": {"en": "People in your household"}},
            "/children": {"widget": "group", "label": {"en": "Children"}},
            "/children/name": {"label": {"en": "Child's name"}},
            "/children/born": {"widget": "date", "label": {"en": "Child's date of birth"}},
        }
    },
}
APPLICATION_ID = "prg-0dc500f58b_76muov2va4frobcgkk3aq62nf2"
DOCUMENT_ID = "doc-4f1c2a9e7b"
APPLICATION = {
    "application_id": APPLICATION_ID,
    "reference": "EM8-7VE-D2V",
    "program_id": "prg-0dc500f58b",
    "program_name": {"en": "Child Support Grant", "fr": "Allocation de soutien à l'enfant", "ar": "منحة دعم الطفل"},
    "form_id": "form-1",
    "form_version": 1,
    "status": "submitted",
    "created_at": "2031-06-01T09:12:44.123456+00:00",
    "submitted_at": "2031-06-05T14:03:27.654321+00:00",
    "answers": {
        "born": "1990-03-14",
        "disabled": False,
        "kinds": ["food", "housing"],
        "id_card": DOCUMENT_ID,
        "household_size": 4,
        "children": [{"name": "Ada", "born": "2020-01-02"}],
    },
    "members": [{"group": "children", "index": 0, "label": "Ada", "documents": []}],
}
DOCUMENTS = [
    {
        "document_id": DOCUMENT_ID,
        "kind": "id_card",
        "file_name": "my id card.pdf",
        "content_type": "application/pdf",
        "size": 345_678,
        "status": "available",
        "application_id": APPLICATION_ID,
        "created_at": "2031-06-02T10:00:00.000001Z",
        "download": {"url": "https://bucket.example/k?X-Amz-Signature=abc", "expires_at": "2031-06-06T08:05:00Z"},
        "member": None,
    }
]


def answers_by_label(locale: str) -> dict[str, str]:
    described = describe(APPLICATION, {("form-1", 1): DEFINITION}, locale, DOCUMENTS)
    return {a["label"]: a["text"] for a in described["answers"]}


@pytest.mark.parametrize(
    ("locale", "date", "disabled", "kinds"),
    [
        ("en", "14 March 1990", "No", "Food, Housing"),
        ("fr", "14 mars 1990", "Non", "Nourriture et Logement"),
        ("ar", "14 مارس 1990", "لا", "غذاء وسكن"),
    ],
)
def test_each_answer_reads_in_words_in_my_language(locale: str, date: str, disabled: str, kinds: str) -> None:
    shown = answers_by_label(locale)
    assert date in shown.values()
    assert disabled in shown.values()
    assert kinds in shown.values()
    assert "my id card.pdf" in shown.values()  # the file name, never the document's id
    assert DOCUMENT_ID not in str(shown) and "False" not in str(shown)


def test_submissions_list_the_documents_sent_with_each_application_by_file_name() -> None:
    described = describe(APPLICATION, {("form-1", 1): DEFINITION}, "en", DOCUMENTS)
    assert [(d["file_name"], d["size"]) for d in described["documents"]] == [("my id card.pdf", 345_678)]
    (document_answer,) = [a for a in described["answers"] if a["kind"] == "document"]
    assert document_answer["file_name"] == "my id card.pdf"
    assert {a["pointer"]: a["kind"] for a in described["answers"]}["/born"] == "date"


def export_document(locale: str) -> dict[str, Any]:
    described = describe(APPLICATION, {("form-1", 1): DEFINITION}, locale, DOCUMENTS)
    described["timeline"] = [
        {"at": "2031-06-01T09:12:44.123456+00:00", "from": None, "to": "draft", "by": {"role": "registrant", "ref": "reg-abc"}},
        {"at": "2031-06-05T14:03:27.654321+00:00", "from": "draft", "to": "submitted", "by": {"role": "registrant", "ref": "reg-abc"}},
    ]
    viewed = {"action": "application_viewed", "by": {"role": "reviewer", "ref": "staff-7f3e9a"}, "details": {"application_id": APPLICATION_ID}}
    return {
        "format": "ssp-export/1",
        "generated_at": "2031-06-06T08:00:00.123456+00:00",
        "locale": locale,
        "registrant_id": "reg-0123456789abcdef",
        "profile": {
            "preferred_locale": locale,
            "fields": {
                "name": {
                    "value": "Amina Okafor",
                    "source": "id_provider",
                    "provider": "esignet",
                    "verified": True,
                    "changed_at": "2031-05-01T10:00:00.5+00:00",
                },
                "phone_number": {"value": "+212600334455", "source": "self", "verified": False},
                "address": {"value": {"street_address": "12 Rue des Fleurs", "locality": "Rabat"}, "source": "self", "verified": False},
                "household_size": {"value": 4, "source": "self", "verified": False},
            },
        },
        "profile_labels": {"household_size": {"en": "People in your household", "fr": "Personnes dans votre ménage", "ar": "عدد أفراد الأسرة"}},
        "history": [
            {
                "at": "2031-05-02T10:00:00.000001+00:00",
                "field": "household_size",
                "previous": {"value": 3},
                "current": {"value": 4},
                "reason": "self_update",
                "by": {"role": "registrant", "ref": "reg-abc"},
            }
        ],
        "change_requests": [
            {"requested_at": "2031-05-03T10:00:00+00:00", "field": "name", "value": "Amina N. Okafor", "status": "pending", "request_id": "chg-123"}
        ],
        "applications": [described],
        "documents": DOCUMENTS,
        "consents": [
            {
                "consent_id": "cns-1",
                "given_at": "2031-05-01T10:00:00+00:00",
                "kind": "id_provider",
                "provider": "esignet",
                "provider_name": {"en": "National ID", "fr": "Identité nationale", "ar": "الهوية الوطنية"},
                "claims": ["name", "birthdate"],
                "status": "active",
            }
        ],
        "activity": [
            {**viewed, "at": "2031-06-05T15:00:00.000003+00:00"},
            {**viewed, "at": "2031-06-05T15:01:00.000002+00:00"},
            {**viewed, "at": "2031-06-05T15:02:00.000001+00:00"},
        ],
    }


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        (
            "en",
            [
                "5 June 2031 at 14:03 UTC",
                "14 March 1990",
                "No",
                "Food, Housing",
                "338 KB",
                "PDF",
                "People in your household",
                "The programme team",
                "3 times",
                "Child Support Grant — EM8-7VE-D2V",
                "Submitted",
            ],
        ),
        ("fr", ["5 juin 2031 à 14:03 UTC", "14 mars 1990", "Non", "Nourriture et Logement", "338 Ko", "Personnes dans votre ménage", "3 fois", "Envoyée"]),
        ("ar", ["5 يونيو 2031", "14 مارس 1990", "غذاء وسكن", "338 كيلوبايت", "عدد أفراد الأسرة", "بياناتي"]),
    ],
)
def test_the_readable_export_speaks_plainly_in_my_language(locale: str, words: list[str]) -> None:
    page = render_html(export_document(locale))
    text = re.sub(r"<[^>]+>", " ", page.split("</style>", 1)[1])
    for word in words:
        assert word in page or word in text, word
    assert not re.search(r"\d{4}-\d{2}-\d{2}T", text), "a raw ISO timestamp"
    assert not re.search(r"\.\d{6}", text), "microseconds"
    assert "True" not in text and "False" not in text
    assert "{" not in text and "&quot;:" not in text, "JSON in the page"
    for internal in (
        "reg-0123456789abcdef",
        APPLICATION_ID,
        DOCUMENT_ID,
        "staff-7f3e9a",
        "chg-123",
        "cns-1",
        "household_size",
        "id_provider",
        "application_viewed",
    ):
        assert internal not in text, internal
    assert "few minutes" not in page
    assert "esignet" not in text


def test_a_login_consent_names_the_provider_in_my_language() -> None:
    assert "Logging in with National ID" in render_html(export_document("en"))
    assert "Connexion avec Identité nationale" in render_html(export_document("fr"))


def test_the_readable_export_says_until_when_its_download_links_work() -> None:
    page = render_html(export_document("en"))
    assert "work until 6 June 2031 at 08:05 UTC" in page
    assert 'href="https://bucket.example/k?X-Amz-Signature=abc"' in page


def test_the_readable_export_is_in_cards_that_fit_a_phone_and_arabic_is_right_to_left() -> None:
    english = render_html(export_document("en"))
    assert "<table" not in english  # wide tables made the page 870 px wide on a 360 px phone
    assert not re.search(r"(?<!max-)width:\s*\d{3,}px", STYLE)
    assert "overflow-wrap:anywhere" in STYLE
    arabic = render_html(export_document("ar"))
    assert '<html lang="ar" dir="rtl">' in arabic
    assert '<span class="ltr" dir="ltr">+212600334455</span>' in arabic


def test_near_identical_activity_folds_into_one_row_with_how_many_times() -> None:
    rows = fold_activity(export_document("en")["activity"])
    assert [r["count"] for r in rows] == [3]
    other = {"action": "profile_viewed", "by": {"role": "reviewer", "ref": "staff-1"}, "details": None, "at": "2031-06-05T16:00:00+00:00"}
    assert [r["count"] for r in fold_activity([*export_document("en")["activity"], other])] == [3, 1]


def test_sizes_and_lists_as_the_browser_writes_them() -> None:
    assert fmt.format_size(1_500_000, "en") == "1.4 MB"
    assert fmt.format_size(1_500_000, "fr") == "1,4 Mo"
    assert fmt.format_size(900, "en") == "900 bytes"
    assert fmt.list_of(["غذاء", "رعاية صحية", "سكن"], "ar") == "غذاء، ورعاية صحية، وسكن"  # as Intl.ListFormat('ar')
    assert fmt.list_of(["A", "B", "C"], "fr") == "A, B et C"
    assert fmt.format_date("2031-06-05", "fr") == "5 juin 2031"
    assert fmt.format_date("not a date", "en") == "not a date"
