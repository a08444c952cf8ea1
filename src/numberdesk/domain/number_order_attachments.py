"""Checking an uploaded KYC document: its real type (sniffed from the bytes), its declared type, the
requirement's allowed MIME and document types, and a safe file name.

The client's `Content-Type` and file name are claims; the content decides. A PDF sent as image/jpeg,
or an executable named `.pdf`, is refused. Messages never quote file contents.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

import puremagic

from numberdesk.domain.errors import FieldViolation, InvalidArgument
from numberdesk.domain.kyc import AttachmentRequirement

# Leading bytes of the formats KYC documents come in, checked before puremagic's wider table.
_SIGNATURES: Final[tuple[tuple[bytes, str], ...]] = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
# Executables and scripts are refused whatever the requirement allows.
_EXECUTABLE_SIGNATURES: Final = (
    b"MZ",  # Windows PE / DOS
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",  # Mach-O 32
    b"\xfe\xed\xfa\xcf",  # Mach-O 64
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O fat / Java class
    b"#!",  # scripts
)
_EXECUTABLE_MIME_HINTS: Final = ("executable", "x-dosexec", "x-msdownload", "x-sh", "java-archive")
_ALIASES: Final = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "application/x-pdf": "application/pdf",
}
_GENERIC_DECLARED: Final = frozenset({"", "application/octet-stream", "binary/octet-stream"})
GENERIC_MIME: Final = "application/octet-stream"
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")
MAX_FILE_NAME: Final = 200


def normalise_mime(value: str | None) -> str:
    base = (value or "").split(";")[0].strip().lower()
    return _ALIASES.get(base, base)


def is_executable(data: bytes) -> bool:
    return data.startswith(_EXECUTABLE_SIGNATURES)


def sniff(data: bytes) -> str | None:
    """The MIME type the content really has, or None when it is not recognised."""
    for signature, mime in _SIGNATURES:
        if data.startswith(signature):
            return mime
    try:
        found = puremagic.from_string(data[:8192], mime=True)
    except (puremagic.PureError, ValueError):
        return None
    return normalise_mime(found) or None


def safe_file_name(name: str | None, fallback: str) -> str:
    """Only the last path component, without control or path characters; metadata, never a path."""
    base = re.split(r"[/\\]", unicodedata.normalize("NFC", name or ""))[-1]
    cleaned = _UNSAFE_NAME.sub("_", base).strip(" .")
    return cleaned[:MAX_FILE_NAME] or fallback


def check_upload(
    requirement: AttachmentRequirement, data: bytes, declared_type: str | None, document_type: str | None
) -> str:
    """Every problem with the upload at once (400), else the content's MIME type."""
    violations: list[FieldViolation] = []
    declared = normalise_mime(declared_type)
    sniffed = None if is_executable(data) else sniff(data)
    if not data:
        violations.append(FieldViolation("file", "is empty"))
    elif is_executable(data) or (sniffed and any(h in sniffed for h in _EXECUTABLE_MIME_HINTS)):
        violations.append(FieldViolation("file", "executables and scripts are not accepted"))
    else:
        allowed = tuple(normalise_mime(m) for m in requirement.allowed_mime_types)
        if sniffed is None and allowed:
            violations.append(
                FieldViolation("file", f"content type not recognised; allowed: {', '.join(allowed)}")
            )
        elif sniffed is not None and declared not in _GENERIC_DECLARED and declared != sniffed:
            violations.append(FieldViolation("file", f"declared as {declared} but the content is {sniffed}"))
        elif sniffed is not None and allowed and sniffed not in allowed:
            violations.append(FieldViolation("file", f"content is {sniffed}; allowed: {', '.join(allowed)}"))
    allowed_documents = requirement.allowed_document_types
    if document_type is not None and allowed_documents and document_type not in allowed_documents:
        violations.append(FieldViolation("documentType", "must be one of: " + ", ".join(allowed_documents)))
    if violations:
        raise InvalidArgument(f"attachment {requirement.id} was not accepted", violations)
    return sniffed or GENERIC_MIME
