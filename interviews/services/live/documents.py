"""Reading an uploaded resume: PDF (pypdf, its text layer), DOCX (python-docx, paragraphs and
tables) or plain text. Every way a file can be unusable is a `LiveInvalid` naming the problem:
empty, over the upload limit, a type we do not read, a file that is not what its name says,
corrupt, password-protected, or a scan with no text layer. Nothing is stored here.
"""

from __future__ import annotations

import io
import logging
import os
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from analysis.engines import text
from interviews.exceptions import LiveInvalid

logger = logging.getLogger(__name__)

FORMATS = ("pdf", "docx", "txt")
_EXTENSIONS = {".pdf": "pdf", ".docx": "docx", ".txt": "txt", ".text": "txt", ".md": "txt"}
_CONTENT_TYPES = {
    "application/pdf": "pdf",
    "application/x-pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "text/plain": "txt",
    "text/markdown": "txt",
}
# Sent by browsers and curl when they do not know the type; the name and the bytes decide then.
_UNTYPED = {"", "application/octet-stream", "binary/octet-stream", "application/x-download"}
_REFUSED_NAMES = {
    ".doc": "Word 97-2003 .doc files are not supported; save it as DOCX or PDF",
    ".rtf": "RTF files are not supported; save it as DOCX, PDF or TXT",
    ".odt": "OpenDocument files are not supported; save it as DOCX, PDF or TXT",
    ".pages": "Pages files are not supported; export it as PDF or DOCX",
}
# A resume is a few pages; past these the rest is not read (and a 500-page PDF is no resume).
MAX_PAGES = 20
MAX_CHARS = 60_000
MIN_WORDS = 20


@dataclass(frozen=True)
class ParsedResume:
    format: str
    text: str
    pages: int | None
    filename: str
    size_bytes: int


def upload_limit_bytes() -> int:
    return int(settings.MAX_UPLOAD_MB) * 1024 * 1024


def _safe_filename(name: str) -> str:
    base = os.path.basename(name.replace("\\", "/")) or "resume"
    return re.sub(r"[\x00-\x1f\x7f]", "", base)[:255] or "resume"


def _declared(filename: str, content_type: str) -> str:
    """The format the name and the Content-Type claim; a claim we do not read is refused."""
    extension = os.path.splitext(filename)[1].lower()
    if extension in _REFUSED_NAMES:
        raise LiveInvalid(f"file: {_REFUSED_NAMES[extension]}.")
    by_name = _EXTENSIONS.get(extension)
    kind = content_type.split(";")[0].strip().lower()
    by_type = _CONTENT_TYPES.get(kind)
    if kind and kind not in _UNTYPED and by_type is None:
        raise LiveInvalid(
            f"file: content type {kind!r} is not a resume format we read; upload a PDF, DOCX or TXT file."
        )
    if by_name is None and by_type is None:
        raise LiveInvalid(
            f"file: {filename!r} is not a PDF, DOCX or TXT file (judged by its name and content type)."
        )
    if by_name and by_type and by_name != by_type:
        raise LiveInvalid(
            f"file: the name says {by_name.upper()} but the content type says {by_type.upper()}."
        )
    return by_name or by_type or ""


def _sniffed(head: bytes) -> str | None:
    if head.lstrip(b"\x00\t\n\r ").startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"  # Word 97-2003
    return None


def _pdf_text(data: bytes) -> tuple[str, int]:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:
                pass
        pages = reader.pages
        count = len(pages)
        parts = []
        for page in list(pages)[:MAX_PAGES]:
            parts.append(page.extract_text() or "")
            if sum(len(p) for p in parts) > MAX_CHARS:
                break
    except FileNotDecryptedError as error:
        raise LiveInvalid("file: the PDF is password-protected; upload an unprotected copy.") from error
    except (PyPdfError, ValueError, TypeError, KeyError, IndexError, AttributeError, OSError, RecursionError,
            zipfile.BadZipFile) as error:  # fmt: skip
        # pypdf reports broken files through many exception types, depending on where they break.
        logger.info("unreadable PDF: %s: %s", type(error).__name__, error)
        raise LiveInvalid("file: the PDF is corrupt or truncated and could not be read.") from error
    return "\n".join(parts), count


def _docx_text(data: bytes) -> str:
    import docx
    from docx.opc.exceptions import OpcError
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        lines = []
        # In reading order: resumes often lay out their experience in tables between paragraphs.
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    cells = list(dict.fromkeys(cell.text.strip() for cell in row.cells if cell.text.strip()))
                    if cells:
                        lines.append(" | ".join(cells))
            else:
                lines.append(block.text)
    except (OpcError, zipfile.BadZipFile, KeyError, ValueError, AttributeError, OSError) as error:
        raise LiveInvalid("file: the DOCX file is corrupt and could not be read.") from error
    except Exception as error:  # lxml's XMLSyntaxError and friends
        logger.info("unreadable DOCX: %s: %s", type(error).__name__, error)
        raise LiveInvalid("file: the DOCX file is corrupt and could not be read.") from error
    return "\n".join(lines)


def _plain_text(data: bytes) -> str:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LiveInvalid("file: this is a binary file, not plain text.")
    for encoding in (
        ("utf-8-sig", "utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig",)
    ):
        try:
            decoded = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        decoded = data.decode("cp1252", errors="replace")
    control = sum(1 for ch in decoded if ord(ch) < 32 and ch not in "\t\n\r\f")
    if control > max(2, len(decoded) // 100):
        raise LiveInvalid("file: this is a binary file, not plain text.")
    return decoded


def _tidy(raw: str) -> str:
    lines = [" ".join(line.split()) for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    tidy = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", tidy).strip()[:MAX_CHARS]


def resume_parse(upload: UploadedFile) -> ParsedResume:
    """The text of an uploaded resume, or LiveInvalid saying why there is none."""
    filename = _safe_filename(upload.name or "resume")
    size = int(upload.size or 0)
    if size == 0:
        raise LiveInvalid("file: the file is empty.")
    if size > upload_limit_bytes():
        raise LiveInvalid(
            f"file: {size / 2**20:.1f} MB is over the {settings.MAX_UPLOAD_MB} MB upload limit."
        )
    declared = _declared(filename, upload.content_type or "")
    upload.seek(0)
    data = upload.read()
    sniffed = _sniffed(data[:1024])
    pages: int | None = None
    if declared == "pdf":
        if sniffed != "pdf":
            raise LiveInvalid("file: it is named as a PDF but is not one (no PDF header); it may be corrupt.")
        raw, pages = _pdf_text(data)
        if not text.word_count(raw):
            raise LiveInvalid(
                "file: this PDF has no text layer (a scanned image?); upload the original document, "
                "or a PDF exported with text, a DOCX or a TXT file."
            )
    elif declared == "docx":
        if sniffed == "ole":
            raise LiveInvalid("file: this is a Word 97-2003 .doc file; save it as DOCX or PDF.")
        if sniffed != "zip":
            raise LiveInvalid("file: it is named as a DOCX file but is not one; it may be corrupt.")
        raw = _docx_text(data)
    else:
        if sniffed in ("pdf", "zip", "ole"):
            raise LiveInvalid(
                "file: it is named as plain text but holds a document; upload it with its own extension."
            )
        raw = _plain_text(data)
    body = _tidy(raw)
    words = text.word_count(body)
    if words == 0:
        raise LiveInvalid(f"file: the {declared.upper()} file holds no text.")
    if words < MIN_WORDS:
        raise LiveInvalid(
            f"file: the {declared.upper()} file holds only {words} words; upload the whole resume."
        )
    return ParsedResume(format=declared, text=body, pages=pages, filename=filename, size_bytes=size)


def job_description_clean(value: Any) -> str:
    return _tidy(str(value or ""))
