"""Edge agents: an officer enrols one with its public key; admins list and revoke them."""

from __future__ import annotations

from typing import Any

from edge_agent import envelope
from tests.support.devices import CaptureKit
from tests.support.factories import as_staff


def _public_key() -> dict[str, Any]:
    return dict(envelope.public_jwk(envelope.new_key()))


def test_an_officer_enrols_an_agent_and_sees_it_active(kit: CaptureKit) -> None:
    officer = kit.officer()
    answer = kit.api.post("/api/devices/agents", {"name": "Kisumu office PC", "public_key": _public_key()}, as_=officer)
    assert answer.status == 201
    assert answer.json["status"] == "active" and answer.json["name"] == "Kisumu office PC"
    shown = kit.api.get(f"/api/devices/agents/{answer.json['agent_id']}", as_=officer)
    assert shown.status == 200 and shown.json["agent_id"] == answer.json["agent_id"]


def test_a_private_key_is_refused_and_never_kept(kit: CaptureKit) -> None:
    private = envelope.new_key().as_dict(private=True)
    answer = kit.api.post("/api/devices/agents", {"name": "PC", "public_key": {k: private[k] for k in ("kty", "crv", "x", "y", "d")}}, as_=kit.officer())
    assert (answer.status, answer.json["error"]["fields"]) == (422, {"/public_key/d": "private_key_sent"})


def test_a_key_that_is_not_a_p256_point_is_refused(kit: CaptureKit) -> None:
    key = _public_key()
    key["x"] = key["y"]  # not on the curve
    answer = kit.api.post("/api/devices/agents", {"name": "PC", "public_key": key}, as_=kit.officer())
    assert (answer.status, answer.json["error"]["fields"]) == (422, {"/public_key": "invalid_key"})
    rsa_like = kit.api.post("/api/devices/agents", {"name": "PC", "public_key": {"kty": "RSA", "n": "x", "e": "AQAB"}}, as_=kit.officer())
    assert rsa_like.status == 422


def test_only_officers_enrol_agents(kit: CaptureKit) -> None:
    assert kit.api.post("/api/devices/agents", {"name": "PC", "public_key": _public_key()}, as_=as_staff("reviewer")).error_code == "wrong_role"
    assert kit.api.post("/api/devices/agents", {"name": "PC", "public_key": _public_key()}).status == 401


def test_admins_list_every_agent_and_officers_only_their_own(kit: CaptureKit) -> None:
    first = kit.enrol(kit.officer("officer-1"))
    second = kit.enrol(kit.officer("officer-2"))
    everyone = kit.api.get("/api/devices/agents", as_=as_staff("admin"))
    assert {a["agent_id"] for a in everyone.json["items"]} == {first.agent_id, second.agent_id}
    everyone.calls.assert_dynamodb_at_most(1)
    own = kit.api.get("/api/devices/agents", as_=first.officer)
    assert [a["agent_id"] for a in own.json["items"]] == [first.agent_id]
    officer_ref = own.json["items"][0]["officer"]
    filtered = kit.api.get(f"/api/devices/agents?officer={officer_ref}", as_=as_staff("admin"))
    assert [a["agent_id"] for a in filtered.json["items"]] == [first.agent_id]


def test_an_officer_cannot_see_another_officers_agent(kit: CaptureKit) -> None:
    theirs = kit.enrol(kit.officer("officer-2"))
    answer = kit.api.get(f"/api/devices/agents/{theirs.agent_id}", as_=kit.officer("officer-1"))
    assert (answer.status, answer.error_code) == (404, "agent_not_found")


def test_only_admins_revoke_and_a_revoked_agent_cannot_start_captures(kit: CaptureKit) -> None:
    agent = kit.enrol()
    assert kit.api.post(f"/api/devices/agents/{agent.agent_id}/revoke", as_=agent.officer).error_code == "wrong_role"
    revoked = kit.api.post(f"/api/devices/agents/{agent.agent_id}/revoke", as_=as_staff("admin"))
    assert revoked.status == 200 and revoked.json["status"] == "revoked" and revoked.json["revoked_at"]
    refused = kit.api.post("/api/devices/transactions", {"agent_id": agent.agent_id, "registrant": "8267411571"}, as_=agent.officer)
    assert (refused.status, refused.error_code) == (403, "agent_revoked")


def test_revoking_an_unknown_agent_is_not_found(kit: CaptureKit) -> None:
    assert kit.api.post("/api/devices/agents/nope/revoke", as_=as_staff("admin")).status == 404


def test_an_officer_cannot_start_a_capture_with_another_officers_agent(kit: CaptureKit) -> None:
    theirs = kit.enrol(kit.officer("officer-2"))
    answer = kit.api.post("/api/devices/transactions", {"agent_id": theirs.agent_id, "registrant": "8267411571"}, as_=kit.officer("officer-1"))
    assert (answer.status, answer.error_code) == (403, "agent_not_yours")
