"""The documents bucket: keys, presigned POST and GET, reading, copying and deleting objects.

Two clients, both created lazily and kept for the process. ``get_s3()`` is the one the API
itself talks to (boto3 honours ``AWS_ENDPOINT_URL``). ``get_presigner()`` signs URLs that a
browser will use: its endpoint is ``SSP_S3_PUBLIC_ENDPOINT`` when set (on the local stack the
API may reach the emulator by a name the browser cannot), and it always signs with SigV4.

Keys: the browser uploads to ``uploads/<registrant>/<document>``; verified bytes are copied to
``documents/<registrant>/<document>``, which is never presigned for upload, so nothing can
replace a document after it was checked. A lifecycle rule removes anything left in ``uploads/``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import datetime
from typing import Any, NamedTuple

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from chalicelib import config

UPLOADS = "uploads/"
S3_EXTRA_READ_SECONDS = 5  # reading a document back (up to SSP_DOCUMENT_MAX_BYTES) to check it
DOCUMENTS = "documents/"


def upload_key(registrant_id: str, document_id: str) -> str:
    return f"{UPLOADS}{registrant_id}/{document_id}"


def document_key(registrant_id: str, document_id: str) -> str:
    return f"{DOCUMENTS}{registrant_id}/{document_id}"


def belongs_to(key: str, registrant_id: str) -> bool:
    """Whether ``key`` lies under one of the person's own prefixes."""
    return any(key.startswith(f"{top}{registrant_id}/") for top in (UPLOADS, DOCUMENTS)) and ".." not in key


def get_s3() -> Any:
    return _client(config.region(), config.endpoint_url(), None)


def get_presigner() -> Any:
    public = config.get("SSP_S3_PUBLIC_ENDPOINT") or config.endpoint_url()
    return _client(config.region(), public, "presign")


@functools.lru_cache(maxsize=8)
def _client(region: str, endpoint: str | None, purpose: str | None) -> Any:
    # SigV4 always: boto3 would presign with SigV2 otherwise, which newer regions refuse. URLs for
    # a browser on a named endpoint are path-style, so the bucket's host is the one the CSP allows.
    style = "path" if purpose == "presign" and endpoint else "auto"
    settings = Config(
        signature_version="s3v4",
        s3={"addressing_style": style},
        retries={"mode": "standard", "total_max_attempts": 1 + config.aws_max_retry_attempts()},
        connect_timeout=config.aws_connect_timeout(),
        read_timeout=config.aws_read_timeout() + S3_EXTRA_READ_SECONDS,
    )
    return boto3.session.Session().client("s3", region_name=region, endpoint_url=endpoint, config=settings)


def encryption_fields() -> dict[str, str]:
    """The server-side encryption every stored object carries, as POST fields / copy arguments."""
    fields = {"x-amz-server-side-encryption": config.get("SSP_DOCUMENTS_SSE")}
    key_id = config.get("SSP_DOCUMENTS_KMS_KEY_ID")
    if fields["x-amz-server-side-encryption"] == "aws:kms" and key_id:
        fields["x-amz-server-side-encryption-aws-kms-key-id"] = key_id
    return fields


def presign_upload(key: str, content_type: str, size: int, expires_in: int) -> dict[str, Any]:
    """A presigned POST whose policy pins the key, the type, the exact size and the encryption."""
    fields = {"Content-Type": content_type, **encryption_fields()}
    conditions: list[Any] = [{"Content-Type": content_type}, ["content-length-range", size, size]]
    conditions += [{name: value} for name, value in encryption_fields().items()]
    post = get_presigner().generate_presigned_post(Bucket=config.documents_bucket(), Key=key, Fields=fields, Conditions=conditions, ExpiresIn=expires_in)
    return {"url": post["url"], "fields": post["fields"]}


def presign_download(key: str, content_type: str, disposition: str, expires_in: int) -> str:
    url: str = get_presigner().generate_presigned_url(
        "get_object",
        Params={
            "Bucket": config.documents_bucket(),
            "Key": key,
            "ResponseContentType": content_type,
            "ResponseContentDisposition": disposition,
        },
        ExpiresIn=expires_in,
    )
    return url


class StoredObject(NamedTuple):
    size: int
    content_type: str
    etag: str
    last_modified: datetime


def head(key: str) -> StoredObject | None:
    """What S3 says of an object, or None when there is none."""
    try:
        answer = get_s3().head_object(Bucket=config.documents_bucket(), Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
            return None
        raise
    return StoredObject(
        size=int(answer["ContentLength"]),
        content_type=str(answer.get("ContentType") or ""),
        etag=str(answer["ETag"]),
        last_modified=answer["LastModified"],
    )


def read_chunks(key: str, etag: str, chunk_size: int = 64 * 1024) -> Iterator[bytes]:
    """The object's bytes, provided it is still the version ``head`` saw."""
    body = get_s3().get_object(Bucket=config.documents_bucket(), Key=key, IfMatch=etag)["Body"]
    try:
        yield from body.iter_chunks(chunk_size)
    finally:
        body.close()


def keep(upload: str, etag: str, destination: str) -> None:
    """Copy the checked upload to its permanent key (re-encrypted as configured); drop the upload."""
    copy_checked(upload, etag, destination)
    delete(upload)


def copy_checked(upload: str, etag: str, destination: str) -> None:
    """Copy the checked upload to its permanent key, provided it is still the version checked."""
    _copy(upload, destination, CopySourceIfMatch=etag)


def copy_document(source: str, destination: str) -> None:
    """A server-side copy of a verified document to another key of the same person (a document
    reused for another application); the source stays as it is."""
    _copy(source, destination)


def _copy(source: str, destination: str, **extra: Any) -> None:
    copy_args: dict[str, Any] = {"ServerSideEncryption": config.get("SSP_DOCUMENTS_SSE"), **extra}
    key_id = encryption_fields().get("x-amz-server-side-encryption-aws-kms-key-id")
    if key_id:
        copy_args["SSEKMSKeyId"] = key_id
    bucket = config.documents_bucket()
    get_s3().copy_object(
        Bucket=bucket,
        Key=destination,
        CopySource={"Bucket": bucket, "Key": source},
        MetadataDirective="COPY",
        # The source's tags are not the copy's: a scanner tags the stored object itself. Not
        # copying them also spares the function s3:GetObjectTagging on uploads/ and
        # s3:PutObjectTagging on documents/.
        TaggingDirective="REPLACE",
        **copy_args,
    )


def delete(key: str) -> None:
    get_s3().delete_object(Bucket=config.documents_bucket(), Key=key)


def tags(key: str) -> dict[str, str]:
    """The object's tags (a malware scanner writes its verdict there); empty when it is gone."""
    try:
        answer = get_s3().get_object_tagging(Bucket=config.documents_bucket(), Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
            return {}
        raise
    return {tag["Key"]: tag["Value"] for tag in answer.get("TagSet", [])}


# --- bucket configuration (local stack and infra) --------------------------------------------


def cors_rules(origins: list[str]) -> list[dict[str, Any]]:
    """The browser POSTs uploads and GETs downloads straight to S3 from the portal's origin."""
    return [
        {
            "AllowedOrigins": origins,
            "AllowedMethods": ["POST", "GET"],
            "AllowedHeaders": ["*"],
            "ExposeHeaders": ["ETag"],
            "MaxAgeSeconds": 3000,
        }
    ]


LIFECYCLE_RULES: list[dict[str, Any]] = [
    {
        # Uploads never verified (the person gave up, or the check rejected and could not delete).
        "ID": "expire-unverified-uploads",
        "Filter": {"Prefix": UPLOADS},
        "Status": "Enabled",
        "Expiration": {"Days": 1},
        "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
    }
]


def prepare_bucket(origins: list[str]) -> None:
    """Create the bucket if missing and give it CORS for ``origins`` and the lifecycle rule.

    For the local stack (moto's server): call after AWS is up, with the portal's public origin.
    """
    s3 = get_s3()
    bucket = config.documents_bucket()
    try:
        s3.head_bucket(Bucket=bucket)
    except ClientError:
        location = {"LocationConstraint": config.region()} if config.region() != "us-east-1" else None
        s3.create_bucket(Bucket=bucket, **({"CreateBucketConfiguration": location} if location else {}))
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": cors_rules(origins)})
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": LIFECYCLE_RULES})
