"""`make dev`'s launcher as a person uses it: it starts, serves, keeps data across a restart,
stops cleanly on Ctrl-C, and explains a taken port instead of printing a traceback."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import boto3
import pytest

from infra.local.stack import REPO, free_port
from tests.support.local_stack import local_stack

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("local-stack")]


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
        return response.status, dict(response.headers), response.read()


def _dynamodb(info: dict[str, Any]) -> Any:
    return boto3.client(
        "dynamodb",
        endpoint_url=f"http://127.0.0.1:{info['ports']['aws']}",
        region_name="eu-west-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def test_the_stack_serves_api_and_frontend_keeps_data_across_a_restart_and_stops_cleanly(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with local_stack(data_dir) as first:
        status, _, body = _get(first["public_url"] + "/api/health")
        assert (status, json.loads(body)) == (200, {"ok": True})
        status, headers, _ = _get(first["public_url"] + "/")
        assert status == 200 and "script-src 'self'" in headers["Content-Security-Policy"]
        programs = _dynamodb(first).query(
            TableName="ssp-dev-programs",
            IndexName="state",
            KeyConditionExpression="#s = :open",
            ExpressionAttributeNames={"#s": "state"},
            ExpressionAttributeValues={":open": {"S": "open"}},
        )["Items"]
        assert programs, "the sample program is seeded and open"
        _dynamodb(first).put_item(TableName="ssp-dev-programs", Item={"program_id": {"S": "kept-across-restarts"}, "state": {"S": "draft"}})
        first["process"].send_signal(signal.SIGINT)
        assert first["process"].wait(timeout=30) == 0
        assert all(_port_is_free(port) for port in first["ports"].values()), "no service is left behind"

    with local_stack(data_dir) as second:  # other ports this time: the recording is replayed onto them
        item = _dynamodb(second).get_item(TableName="ssp-dev-programs", Key={"program_id": {"S": "kept-across-restarts"}})
        assert item["Item"]["state"] == {"S": "draft"}
        again = _dynamodb(second).query(
            TableName="ssp-dev-programs",
            IndexName="state",
            KeyConditionExpression="#s = :open",
            ExpressionAttributeNames={"#s": "state"},
            ExpressionAttributeValues={":open": {"S": "open"}},
        )["Items"]
        assert len(again) == len(programs), "seeding again adds nothing"


def _launch(data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The launcher run as a developer runs it, with `env` over ours: how it exits and what it says."""
    return subprocess.run(
        [sys.executable, "-m", "infra.local.launcher", "--data-dir", str(data_dir)],
        cwd=REPO,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_taken_port_is_explained_not_a_traceback(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _launch(tmp_path, SSP_AWS_PORT=str(port), SSP_API_PORT=str(free_port()))
    assert result.returncode == 2
    assert f"Port {port} is already in use" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize("value", ["abc", "0", "70000", "-1"])
def test_a_port_that_is_not_a_number_is_explained_not_a_traceback(tmp_path: Path, value: str) -> None:
    result = _launch(tmp_path, SSP_API_PORT=value)
    assert result.returncode == 2
    assert f"SSP_API_PORT={value!r} is not a port" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "moto").exists() and not any(tmp_path.iterdir()), "nothing was started"
