"""The documents a programme asks for, and whether an upload is one of them: pure rules."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

PHOTO, PDF = "photo", "pdf"
PDF_MIME = "application/pdf"
# An image sent "as a file" (uncompressed) is still a photo of the document.
IMAGE_MIMES = ("image/jpeg", "image/png")
MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class DocumentSpec:
    """One document of a programme, as the catalogue declares it."""

    code: str
    title: dict[str, str]
    accepts: tuple[str, ...]
    required: bool
    max_mb: float

    @property
    def max_bytes(self) -> int:
        return int(self.max_mb * MEGABYTE)


@dataclass(frozen=True)
class Upload:
    """What the user sent, as Telegram describes it (no bytes: they are never downloaded)."""

    kind: str  # "photo", "document" or "other"
    file_id: str = ""
    file_unique_id: str = ""
    size: int | None = None
    mime_type: str | None = None
    filename: str | None = None


def document_specs(raw: Sequence[dict[str, Any]] | None) -> list[DocumentSpec]:
    """The documents of a programme row, as stored by the catalogue sync."""
    return [
        DocumentSpec(
            code=item["code"],
            title=item["title"],
            accepts=tuple(item["accepts"]),
            required=bool(item.get("required", True)),
            max_mb=float(item.get("max_mb", 2)),
        )
        for item in raw or []
    ]


def find_spec(specs: Sequence[DocumentSpec], code: str) -> DocumentSpec | None:
    return next((spec for spec in specs if spec.code == code), None)


def upload_kind(upload: Upload) -> str | None:
    """ "photo" or "pdf" for what this upload counts as, None for anything else."""
    if upload.kind == PHOTO:
        return PHOTO
    if upload.kind != "document":
        return None
    mime = (upload.mime_type or "").lower()
    name = (upload.filename or "").lower()
    if mime == PDF_MIME and name.endswith(".pdf"):
        return PDF
    if mime in IMAGE_MIMES:
        return PHOTO
    return None


def refusal(spec: DocumentSpec, upload: Upload) -> str | None:
    """Why this upload cannot be the document ("kind" or "size"), None when it is accepted."""
    kind = upload_kind(upload)
    if kind is None or kind not in spec.accepts:
        return "kind"
    # Telegram may leave file_size out; then the upload is taken (it is at most 20 MB anyway).
    if upload.size is not None and upload.size > spec.max_bytes:
        return "size"
    return None


def next_missing(
    specs: Sequence[DocumentSpec], present: Collection[str], *, after: str | None = None
) -> DocumentSpec | None:
    """The first document not yet received that comes after `after` in the programme's order
    (from the start when None): skipping one moves on without sending it."""
    start = 0
    if after is not None:
        codes = [spec.code for spec in specs]
        start = codes.index(after) + 1 if after in codes else 0
    return next((spec for spec in specs[start:] if spec.code not in present), None)


def missing(specs: Sequence[DocumentSpec], present: Collection[str]) -> list[DocumentSpec]:
    return [spec for spec in specs if spec.code not in present]
