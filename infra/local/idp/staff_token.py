"""Print a staff bearer token from the dev identity provider, for curl and scripts.

    .venv/bin/python -m infra.local.idp.staff_token reviewer
    curl -H "Authorization: Bearer $(.venv/bin/python -m infra.local.idp.staff_token admin)" http://localhost:8000/api/...

The token is signed with the dev IdP's key from the data folder (``.local/idp``), so the
portal of a running ``make dev`` accepts it. Users: the ``staff`` of infra/local/sample_people.json
(admin, reviewer, officer).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from infra.local.idp.directory import load_directory
from infra.local.idp.keys import IDP_KEY_FILE, STATE_FILE, idp_dir, load_or_create_rsa_key
from infra.local.stack import REPO


def mint(username: str, data_dir: Path, minutes: int = 60) -> str:
    from infra.local.idp import STAFF_AUDIENCE
    from infra.local.idp.server import mint_staff_token

    folder = idp_dir(data_dir)
    state_file = folder / STATE_FILE
    if not state_file.exists():
        raise SystemExit(f"No dev identity provider state in {folder}: start `make dev` once first.")
    issuer = json.loads(state_file.read_text())["issuer"]
    _people, staff = load_directory()
    if username not in staff:
        raise SystemExit(f"Unknown staff user {username!r}; choose one of: {', '.join(sorted(staff))}")
    key = load_or_create_rsa_key(folder / IDP_KEY_FILE, "idp")
    return mint_staff_token(key, issuer, STAFF_AUDIENCE, staff[username], minutes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.local.idp.staff_token", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("username", help="admin, reviewer or officer")
    parser.add_argument("--minutes", type=int, default=60, help="how long the token is valid (default 60)")
    parser.add_argument("--data-dir", default=os.environ.get("SSP_DATA_DIR") or str(REPO / ".local"), help="the local stack's data folder")
    args = parser.parse_args(argv)
    print(mint(args.username, Path(args.data_dir), args.minutes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
