"""Another person's application is never reachable: every route answers exactly as for a missing id."""

from __future__ import annotations

import pytest

from chalicelib.errors import NotFound
from chalicelib.identity.callers import Actor
from chalicelib.programs import service
from tests.support.api import Answer, Api, AsRegistrant
from tests.support.programs import HOUSEHOLD, Portal


def _routes(api: Api, who: AsRegistrant, application_id: str) -> list[Answer]:
    return [
        api.get(f"/api/applications/{application_id}", as_=who),
        api.patch(f"/api/applications/{application_id}", {"answers": {"name": "X"}}, as_=who),
        api.post(f"/api/applications/{application_id}/submit", {}, as_=who),
        api.post(f"/api/applications/{application_id}/withdraw", {}, as_=who),
    ]


@pytest.mark.parametrize("submitted", [False, True])
def test_second_registrant_cannot_read_or_change_first_registrants_application(
    api: Api, portal: Portal, registrant: AsRegistrant, other_registrant: AsRegistrant, program: str, submitted: bool
) -> None:
    application = portal.submitted(registrant, program, {"name": "Amina"}) if submitted else portal.draft(registrant, program, {"name": "Amina"})
    application_id = application["application_id"]
    missing_id = f"{program}_{'a' * 26}"
    for theirs, missing in zip(_routes(api, other_registrant, application_id), _routes(api, other_registrant, missing_id), strict=True):
        assert theirs.status == missing.status == 404
        assert {k: v for k, v in theirs.json["error"].items() if k != "request_id"} == {k: v for k, v in missing.json["error"].items() if k != "request_id"}
    after = api.get(f"/api/applications/{application_id}", as_=registrant).json
    assert after["answers"] == {"name": "Amina"} and after["version"] == application["version"]


def test_malformed_application_ids_are_simply_not_found(api: Api, registrant: AsRegistrant) -> None:
    for application_id in ("x", "no_such", "a" * 120, "..%2F..%2Fetc"):
        assert api.get(f"/api/applications/{application_id}", as_=registrant).status == 404


def test_lists_and_enrolments_hold_only_the_persons_own(
    api: Api, portal: Portal, registrant: AsRegistrant, other_registrant: AsRegistrant, program: str
) -> None:
    portal.submitted(registrant, program, {"name": "Amina"})
    assert api.get("/api/applications", as_=other_registrant).json["items"] == []
    assert api.get("/api/enrolments", as_=other_registrant).json["items"] == []
    offer = api.get("/api/programs", as_=other_registrant).json["items"][0]
    assert offer["you"]["can_apply"] is True


def test_services_other_areas_call_refuse_someone_elses_application(
    portal: Portal, registrant: AsRegistrant, other_registrant: AsRegistrant, program: str
) -> None:
    application_id = portal.draft(registrant, program)["application_id"]
    with pytest.raises(NotFound):
        service.application_for_document(other_registrant.registrant_id, application_id)
    with pytest.raises(NotFound):
        service.save_answers(registrant.registrant_id, application_id, {}, Actor("registrant", other_registrant.registrant_id))
    assert service.application_for_document(registrant.registrant_id, application_id)["editable"] is True


@pytest.mark.parametrize("submitted", [False, True])
def test_declaring_a_document_for_someone_elses_application_is_as_for_a_missing_one(
    api: Api, portal: Portal, registrant: AsRegistrant, other_registrant: AsRegistrant, sample: str, submitted: bool
) -> None:
    draft = portal.draft(registrant, sample, HOUSEHOLD)
    if submitted:
        portal.attach(registrant, draft["application_id"])
        assert portal.submit(registrant, draft["application_id"]).status == 200

    def declare(application_id: str) -> Answer:
        body = {"kind": "birth_certificate", "file_name": "c.pdf", "content_type": "application/pdf", "size": 1000, "application_id": application_id}
        return api.post("/api/documents", body, as_=other_registrant)

    theirs, missing = declare(draft["application_id"]), declare(f"{sample}_{'a' * 26}")
    assert theirs.status == missing.status == 404
    assert {k: v for k, v in theirs.json["error"].items() if k != "request_id"} == {k: v for k, v in missing.json["error"].items() if k != "request_id"}
    assert api.get("/api/documents", as_=other_registrant).json["items"] == []
