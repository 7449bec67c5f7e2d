"""The bucket as the local stack serves it: moto's server on loopback, a browser on the portal's origin.

Checks what differs from the in-process mock: the presigned URLs point at the public endpoint
(path-style, on 127.0.0.1), the bucket answers CORS for the portal's origin only, and the
verification steps (HEAD, conditional GET, conditional copy) work against the server.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
import requests

from chalicelib import config
from chalicelib.documents import storage
from tests.documents.conftest import PDF

PORTAL = "http://localhost:8000"


@pytest.fixture
def moto_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    url = f"http://127.0.0.1:{port}"
    monkeypatch.setenv("AWS_ENDPOINT_URL", url)
    monkeypatch.setenv("SSP_S3_PUBLIC_ENDPOINT", url)
    try:
        yield url
    finally:
        server.stop()


def test_a_browser_on_the_portal_origin_uploads_and_downloads_through_the_local_bucket(moto_server: str) -> None:
    storage.prepare_bucket([PORTAL])
    key = storage.upload_key("person-1", "d" * 32)
    post = storage.presign_upload(key, "application/pdf", len(PDF), 300)
    assert post["url"].startswith(f"{moto_server}/")

    preflight = requests.options(post["url"], headers={"Origin": PORTAL, "Access-Control-Request-Method": "POST"}, timeout=10)
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == PORTAL
    elsewhere = requests.options(post["url"], headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"}, timeout=10)
    assert elsewhere.status_code == 403

    sent = requests.post(post["url"], data=post["fields"], files={"file": ("id.pdf", PDF)}, headers={"Origin": PORTAL}, timeout=10)
    assert sent.status_code == 204
    assert sent.headers["Access-Control-Allow-Origin"] == PORTAL

    stored = storage.head(key)
    assert stored is not None and stored.size == len(PDF) and stored.content_type == "application/pdf"
    assert b"".join(storage.read_chunks(key, stored.etag)) == PDF
    final = storage.document_key("person-1", "d" * 32)
    storage.keep(key, stored.etag, final)
    assert storage.head(key) is None

    url = storage.presign_download(final, "application/pdf", 'attachment; filename="id.pdf"', 60)
    downloaded = requests.get(url, timeout=10)
    assert downloaded.content == PDF
    assert downloaded.headers["Content-Disposition"] == 'attachment; filename="id.pdf"'


def test_the_bucket_expires_unverified_uploads(moto_server: str) -> None:
    storage.prepare_bucket([PORTAL])
    storage.prepare_bucket([PORTAL])  # idempotent: the launcher calls it at every start
    rules = storage.get_s3().get_bucket_lifecycle_configuration(Bucket=config.documents_bucket())["Rules"]
    assert [(r["Filter"]["Prefix"], r["Expiration"]["Days"]) for r in rules] == [("uploads/", 1)]
