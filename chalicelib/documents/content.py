"""What a document's bytes and name may be: allowed types, magic bytes, safe file names."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from chalicelib import config

# What each type's file starts with. A type is accepted only if we can recognise it here, so
# adding a type to SSP_DOCUMENT_TYPES that has no signature below has no effect.
EXTENSIONS = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
}
HEIC_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")
SNIFF_BYTES = 16  # how many leading bytes ``sniff`` needs

MAX_FILE_NAME = 255


def allowed_types() -> frozenset[str]:
    """The configured allow-list, limited to the types we can recognise by their bytes."""
    configured = {t.strip().lower() for t in config.get("SSP_DOCUMENT_TYPES").split(",") if t.strip()}
    return frozenset(configured & EXTENSIONS.keys())


def sniff(head: bytes) -> str | None:
    """The content type the file's own first bytes announce, or None if none we accept."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in HEIC_BRANDS:
        return "image/heic"
    return None


def file_name_problem(name: str) -> str | None:
    """Why a file name the person gave cannot be kept, as an error code; None when it can.

    The name is only ever metadata (the S3 key is ours), but it comes back in
    Content-Disposition and on screens: no path parts, no control or invisible formatting
    characters (e.g. a right-to-left override that disguises ``exe.pdf``), nothing too long.
    """
    if not name.strip() or name.strip() in {".", ".."}:
        return "empty"
    if len(name) > MAX_FILE_NAME:
        return "too_long"
    if "/" in name or "\\" in name:
        return "path_separator"
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"} for ch in name):
        return "control_character"
    return None


def clean_file_name(name: str) -> str:
    """The name as kept: NFC-normalised and trimmed (call after ``file_name_problem``)."""
    return unicodedata.normalize("NFC", name).strip()


def content_disposition(file_name: str) -> str:
    """``attachment`` with an ASCII fallback name and the exact name in RFC 6266/5987 form."""
    fallback = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\;%' else "_" for ch in file_name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name, safe='')}"
