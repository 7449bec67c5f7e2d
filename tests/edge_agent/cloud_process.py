"""The portal for the edge agent tests, in a process of its own: moto's server and Chalice's
local server on free loopback ports, with the sample people registered and one open program.

``python -m tests.edge_agent.cloud_process <ready-file>``; the settings (staff token keys,
device trust store, verifier) come from the environment. It exits when its standard input
closes, so it never outlives the test run that started it.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
from pathlib import Path


def main() -> None:
    ready_file = Path(sys.argv[1])
    from moto.server import ThreadedMotoServer

    from infra.local.stack import free_port

    aws_port, api_port = free_port(), free_port()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    aws = ThreadedMotoServer(ip_address="127.0.0.1", port=aws_port, verbose=False)
    aws.start()
    os.environ.update(
        {"AWS_ENDPOINT_URL": f"http://127.0.0.1:{aws_port}", "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "SSP_LOG_LEVEL": "WARNING"}
    )
    from infra.local.portal import make_portal_server, stage_environment

    os.environ.update(stage_environment())
    from chalicelib.store.tables import create_missing_tables
    from tests.support.factories import SAMPLE_PEOPLE, make_program, make_registrant

    create_missing_tables()
    registrants = {p["individual_id"]: make_registrant(p).registrant_id for p in SAMPLE_PEOPLE}
    program_id = make_program().program_id
    server = make_portal_server("127.0.0.1", api_port, "default-src 'none'")
    threading.Thread(target=server.server.serve_forever, daemon=True).start()
    tmp = ready_file.with_suffix(".tmp")
    tmp.write_text(json.dumps({"api": f"http://127.0.0.1:{api_port}", "program_id": program_id, "registrants": registrants}))
    tmp.replace(ready_file)
    sys.stdin.read()  # until the test run closes our input (or dies)
    server.shutdown()
    aws.stop()


if __name__ == "__main__":
    main()
