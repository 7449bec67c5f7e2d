"""The commands an officer runs: ``enrol``, ``login``, ``devices``, ``capture``, ``send``, ``status``,
and ``serve`` (the local service the staff console drives, see ``serve.py``).

Exit codes: 0 done; 1 the agent cannot proceed (not enrolled, no sign-in, bad option);
2 the portal refused (its code is printed); 3 a device problem (explained); 4 the capture is
saved and waiting for the network; 5 the portal could not be reached.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import time
from datetime import UTC, datetime
from typing import Any, TextIO

from edge_agent import __version__, capturing, envelope, sbi, serve
from edge_agent.capturing import CANNOT, DEVICE, OK, QUEUED, REFUSED, UNREACHABLE, Stop
from edge_agent.cloud import Cloud, CloudAnswer, CloudUnreachable
from edge_agent.home import AgentHome, Enrolment, home_from
from edge_agent.outbox import Outbox
from edge_agent.relay import Delivery, flush
from edge_agent.signin import SignInFailed, device_code_token, pasted_token, token_expiry


def parse_ports(value: str) -> list[int]:
    ports: list[int] = []
    for part in value.split(","):
        first, _, last = part.strip().partition("-")
        try:
            low, high = int(first), int(last or first)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a port or range: {part!r}") from None
        if not 1 <= low <= high <= 65535 or high - low > 1000:
            raise argparse.ArgumentTypeError(f"not a usable port range: {part!r}")
        ports.extend(range(low, high + 1))
    return ports


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ssp-edge-agent", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", help="folder holding the agent's key, enrolment and queue (default ~/.ssp-edge-agent or $SSP_AGENT_HOME)")
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(dest="command", required=True)

    def sign_in_options(command: argparse.ArgumentParser) -> None:
        command.add_argument("--token", help="a staff token (use - to read it from standard input)")
        command.add_argument("--token-file", help="a file holding a staff token")
        command.add_argument("--device-code", action="store_true", help="sign in with a code confirmed in a browser (RFC 8628)")
        command.add_argument("--issuer", help="the staff identity provider, for --device-code")
        command.add_argument("--client-id", default="ssp-edge-agent", help="client id at the identity provider, for --device-code")
        command.add_argument("--scope", default="openid", help="scopes to ask for, for --device-code")

    enrol = commands.add_parser("enrol", help="sign in, create this agent's key and register it with the portal")
    enrol.add_argument("--cloud", required=True, help="the portal's address, e.g. http://localhost:8000")
    enrol.add_argument("--name", default=socket.gethostname(), help="what to call this PC (default: its host name)")
    enrol.add_argument("--force", action="store_true", help="enrol again with a new key, replacing the existing enrolment")
    sign_in_options(enrol)

    login = commands.add_parser("login", help="sign in again (keep the enrolment, replace the token)")
    sign_in_options(login)

    def trust_store_option(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--trust-store",
            help="PEM certificates of the device providers to trust (default $SSP_AGENT_TRUST_STORE, or device-providers.pem in the agent's folder)",
        )

    devices = commands.add_parser("devices", help="find the biometric devices on this PC")
    devices.add_argument("--ports", type=parse_ports, default=list(sbi.DEFAULT_PORTS), help="ports to scan (default 4501-4600)")
    devices.add_argument("--json", action="store_true")
    trust_store_option(devices)

    capture = commands.add_parser("capture", help="verify a person with a device capture and open an assisted session")
    capture.add_argument("--registrant", required=True, help="the person's ID number")
    capture.add_argument("--modality", choices=sorted(sbi.BIO_TYPES), default="finger")
    capture.add_argument("--ports", type=parse_ports, default=list(sbi.DEFAULT_PORTS), help="ports to scan (default 4501-4600)")
    capture.add_argument("--wait", type=float, default=30.0, help="seconds to keep retrying if the portal cannot be reached (default 30)")
    capture.add_argument("--simulated-person", help="SBI simulator only: the sample person's ID number the simulated device sees")
    capture.add_argument("--json", action="store_true")
    trust_store_option(capture)

    send = commands.add_parser("send", help="send captures waiting in the queue")
    send.add_argument("--wait", type=float, default=30.0, help="seconds to keep retrying (default 30)")
    send.add_argument("--watch", action="store_true", help="keep running and send whenever the network allows")
    send.add_argument("--json", action="store_true")

    status = commands.add_parser("status", help="queue depth, last error, devices seen, enrolment")
    status.add_argument("--json", action="store_true")

    serve.add_parser(commands, parse_ports)
    return parser


def main(argv: list[str] | None = None, out: TextIO = sys.stdout) -> int:
    args = build_parser().parse_args(argv)
    home = AgentHome(home_from(args.home))
    try:
        return int(COMMANDS[args.command](args, home, out))
    except Stop as stop:
        print(stop.message, file=sys.stderr)
        return stop.code
    except KeyboardInterrupt:
        return 130


# --- enrol and login ------------------------------------------------------------------------


def _sign_in(args: argparse.Namespace, out: TextIO) -> str:
    if args.device_code:
        if not args.issuer:
            raise Stop(CANNOT, "--device-code needs --issuer (the staff identity provider).")
        try:
            return device_code_token(args.issuer, args.client_id, args.scope, out=out)
        except SignInFailed as problem:
            raise Stop(CANNOT, f"Sign-in failed: {problem}.") from None
    token = pasted_token(args.token, args.token_file)
    if not token:
        raise Stop(CANNOT, "Sign in first: pass --token <staff token>, --token-file <file>, or --device-code --issuer <url>.")
    return token


def enrol(args: argparse.Namespace, home: AgentHome, out: TextIO) -> int:
    existing = home.enrolment()
    if existing and not args.force:
        raise Stop(CANNOT, f"This PC is already enrolled as agent {existing.agent_id}. Use --force to enrol again with a new key.")
    token = _sign_in(args, out)
    key = envelope.new_key()
    try:
        agent = Cloud(args.cloud, token).register_agent(args.name, envelope.public_jwk(key))
    except CloudUnreachable as problem:
        raise Stop(UNREACHABLE, f"The portal at {args.cloud} could not be reached ({problem}). Check the address and the network.") from None
    except CloudAnswer as refused:
        raise Stop(REFUSED, f"The portal refused to enrol this agent: {refused}.") from None
    envelope.save_key(key, home.key_path)
    home.save_token(token)
    home.save_enrolment(Enrolment(str(agent["agent_id"]), args.cloud.rstrip("/"), args.name))
    out.write(f"Enrolled agent {agent['agent_id']} ({args.name}) with {args.cloud}.\nIts private key is in {home.key_path} (readable only by you).\n")
    return OK


def login(args: argparse.Namespace, home: AgentHome, out: TextIO) -> int:
    _enrolment(home)
    home.save_token(_sign_in(args, out))
    out.write("Signed in. Captures waiting in the queue will be sent with the new sign-in (run `send`).\n")
    return OK


def _enrolment(home: AgentHome) -> Enrolment:
    return capturing.enrolment_of(home)


def _cloud(home: AgentHome, enrolment: Enrolment) -> Cloud:
    token = home.token()
    if not token:
        raise Stop(CANNOT, "No sign-in found. Run `login --token <staff token>`.")
    return Cloud(enrolment.cloud, token)


# --- devices --------------------------------------------------------------------------------


def _anchors(args: argparse.Namespace, home: AgentHome) -> list[Any] | None:
    return capturing.anchors(args.trust_store, home)


def devices(args: argparse.Namespace, home: AgentHome, out: TextIO) -> int:
    anchors = _anchors(args, home)
    found = capturing.scan(home, args.ports, anchors)
    if args.json:
        out.write(json.dumps([d.summary() for d in found], indent=2) + "\n")
    if not found:
        raise Stop(DEVICE, capturing.no_device_message(args.ports))
    if not args.json:
        out.write(f"{'port':<6}{'type':<8}{'status':<16}{'certification':<15}{'purpose':<9}{'signature':<11}device\n")
        for d in found:
            said = d.info or d  # the signed info when there is one, else what discovery said
            signature = d.info.signature if d.info else "no info"
            out.write(f"{d.port:<6}{d.type:<8}{said.status:<16}{said.certification:<15}{said.purpose:<9}{signature:<11}")
            out.write(f"{said.make} {said.model} ({said.serial_no})\n")
        out.write(_signature_note(anchors))
    return OK


def _signature_note(anchors: list[Any] | None) -> str:
    if anchors is None:
        return (
            "Status, certification and make are from each device's signed info. Without a trust store the agent only checks that the info"
            " is signed by its own certificate (signed); add device-providers.pem to check the provider (trusted).\n"
        )
    return "Status, certification and make are from each device's signed info, checked against the trust store (trusted / untrusted).\n"


# --- capture --------------------------------------------------------------------------------


def capture(args: argparse.Namespace, home: AgentHome, out: TextIO) -> int:
    enrolment = _enrolment(home)
    cloud = _cloud(home, enrolment)

    def captured(capture_id: str, device: sbi.Device) -> None:
        out.write(f"Captured ({device.type}, quality checked by the portal). Sending capture {capture_id}...\n")
        out.flush()

    entry = capturing.capture_and_send(
        home, enrolment, cloud, _anchors(args, home), args.ports, args.registrant, args.modality, args.simulated_person, args.wait, captured
    ).entry
    return _report(entry.capture_id, entry.state, entry.answer, entry.last_error, args.json, out)


def _report(capture_id: str, state: str, answer: dict[str, Any] | None, last_error: str | None, as_json: bool, out: TextIO) -> int:
    if as_json:
        out.write(json.dumps({"capture_id": capture_id, "state": state, "answer": answer, "last_error": last_error}) + "\n")
    if state == "delivered" and answer:
        session = answer.get("assisted_session") or {}
        if not as_json:
            out.write(f"Verified: the person is who you named.\nAssisted session {session.get('session_id')} is open until {session.get('expires_at')}.\n")
        return OK
    if state == "rejected" and answer:
        error = answer.get("error") or {}
        if not as_json:
            out.write(f"Not verified: {error.get('message')} ({error.get('code')})\n")
        return REFUSED
    if not as_json:
        out.write(
            f"The portal could not be reached ({last_error}). The capture is saved and will be sent when the network returns: run `send` (or `send --watch`).\n"
        )
    return QUEUED


# --- send and status ------------------------------------------------------------------------


def send(args: argparse.Namespace, home: AgentHome, out: TextIO) -> int:
    enrolment = _enrolment(home)
    cloud = _cloud(home, enrolment)
    outbox = Outbox(home.outbox_path)

    def tell(delivery: Delivery) -> None:
        if args.json:
            out.write(json.dumps(delivery.__dict__) + "\n")
        elif delivery.state == "delivered":
            out.write(f"{delivery.capture_id}: delivered\n")
        elif delivery.state == "rejected":
            out.write(f"{delivery.capture_id}: refused ({((delivery.answer or {}).get('error') or {}).get('code')})\n")
        out.flush()

    try:
        while True:
            flush(outbox, cloud, wait=args.wait, on_delivery=tell)
            if not args.watch:
                break
            time.sleep(2)
        left = outbox.counts()["pending"]
    finally:
        outbox.close()
    if left:
        if not args.json:
            out.write(f"{left} capture(s) still waiting for the network.\n")
        return QUEUED
    if not args.json:
        out.write("Queue empty.\n")
    return OK


def status(args: argparse.Namespace, home: AgentHome, out: TextIO) -> int:
    enrolment = home.enrolment()
    token = home.token()
    outbox = Outbox(home.outbox_path)
    try:
        counts = outbox.counts()
        last_error = json.loads(outbox.noted("last_error") or "null")
        seen = json.loads(outbox.noted("devices_seen") or "null")
        oldest = outbox.pending()[:1]
    finally:
        outbox.close()
    expiry = token_expiry(token) if token else None
    report: dict[str, Any] = {
        "enrolled": enrolment is not None,
        "agent_id": enrolment.agent_id if enrolment else None,
        "cloud": enrolment.cloud if enrolment else None,
        "signed_in": bool(token) and (expiry is None or expiry > time.time()),
        "token_expires_at": _iso(expiry),
        "queue": counts,
        "oldest_pending_since": _iso(oldest[0].created_at) if oldest else None,
        "last_error": {"at": _iso(last_error["at"]), "error": last_error["error"]} if last_error else None,
        "devices_seen": {"at": _iso(seen["at"]), "devices": seen["devices"]} if seen else None,
    }
    if args.json:
        out.write(json.dumps(report, indent=2) + "\n")
        return OK
    out.write(f"Agent:        {report['agent_id'] or 'not enrolled'}{' at ' + str(report['cloud']) if enrolment else ''}\n")
    until = f" (until {report['token_expires_at']})" if expiry else ""
    out.write(f"Sign-in:      {'valid' if report['signed_in'] else 'missing or expired: run `login`'}{until}\n")
    out.write(f"Queue:        {counts['pending']} waiting, {counts['delivered']} delivered, {counts['rejected']} refused\n")
    out.write(f"Last error:   {report['last_error']['error'] + ' at ' + report['last_error']['at'] if last_error else 'none'}\n")
    if seen:
        listed = ", ".join(f"{d['type']} {(d.get('info') or {}).get('status') or d['status']} on {d['port']}" for d in seen["devices"]) or "none"
        out.write(f"Devices seen: {listed} (at {report['devices_seen']['at']})\n")
    else:
        out.write("Devices seen: not scanned yet (run `devices`)\n")
    return OK


def _iso(epoch: float | None) -> str | None:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds") if epoch else None


COMMANDS = {"enrol": enrol, "login": login, "devices": devices, "capture": capture, "send": send, "status": status, "serve": serve.run}
