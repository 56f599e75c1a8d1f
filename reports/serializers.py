"""Request validation and response bodies for report-sections.md.

Validation errors render as HTTP 422 with a Pydantic-style `details` list ({loc, msg, type}),
which is what the spec (written against a FastAPI backend) promises. Like Pydantic, a string
field does not accept numbers, lists or objects.
"""

from __future__ import annotations

import binascii
import re
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from analysis.models import Job
from reports.catalog import SECTION_TITLES, ReportType, canonical_title

MAX_ORIGINAL_TEXT_CHARS = 100_000
# Base64 is 4/3 of the text's UTF-8 bytes; leave room for multi-byte characters and line breaks.
MAX_ORIGINAL_TEXT_B64 = 4 * MAX_ORIGINAL_TEXT_CHARS * 2 // 3 + 4096
MAX_PROMPT_CHARS = 4000
MAX_SESSION_ID_CHARS = 200
_WHITESPACE_RE = re.compile(r"\s+")
_URLSAFE = str.maketrans("-_", "+/")
_BASE64_RE = re.compile(r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$")


class StrictCharField(serializers.CharField):
    default_error_messages = {"string_type": "Input should be a valid string."}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("string_type")
        return super().to_internal_value(data)


# Inline in the schema: a shared "TypeEnum" component would collide with other apps' `type` fields.
@extend_schema_field({"type": "string", "enum": [t.value for t in ReportType]})
class ReportTypeField(serializers.ChoiceField):
    default_error_messages = {
        "string_type": "Input should be a valid string.",
        "invalid_choice": "Unknown report type {input}; expected one of: "
        + ", ".join(t.value for t in ReportType)
        + ".",
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=[t.value for t in ReportType], **kwargs)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("string_type")
        return str(super().to_internal_value(data))


class SectionGenerateInput(serializers.Serializer):
    type = ReportTypeField(help_text="Feasibility_report, Technical_scope or Commercial_proposal")
    customer_id = StrictCharField(max_length=100)
    opportunity_id = StrictCharField(max_length=100)
    section_title = StrictCharField(max_length=100, help_text="must be allowed for the type")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        title = canonical_title(attrs["type"], attrs["section_title"])
        if title is None:
            allowed = ", ".join(SECTION_TITLES[ReportType(attrs["type"])])
            raise serializers.ValidationError(
                {
                    "section_title": [
                        serializers.ErrorDetail(
                            f"{attrs['section_title']!r} is not an allowed section title for "
                            f"{attrs['type']}; allowed: {allowed}.",
                            code="invalid_choice",
                        )
                    ]
                }
            )
        attrs["section_title"] = title
        return attrs


class SectionRefineInput(SectionGenerateInput):
    original_text = StrictCharField(
        max_length=MAX_ORIGINAL_TEXT_B64,
        trim_whitespace=True,
        help_text="base64 of the Markdown/text to refine",
    )
    prompt = StrictCharField(max_length=MAX_PROMPT_CHARS)

    def validate_original_text(self, value: str) -> str:
        """Base64 in, the decoded text out (the job works on text)."""
        compact = _WHITESPACE_RE.sub("", value)  # `base64` wraps lines at 76 columns
        if "-" in compact or "_" in compact:  # the URL-safe alphabet, as some frontends send it
            compact = compact.translate(_URLSAFE)
        try:
            # The regex refuses what the decoder forgives (padding where it does not belong).
            if not _BASE64_RE.match(compact):
                raise ValueError("not canonical base64")
            raw = binascii.a2b_base64(compact.encode("ascii"), strict_mode=True)
        except (binascii.Error, ValueError):
            raise serializers.ValidationError("Not valid base64.", code="base64_invalid") from None
        try:
            decoded = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise serializers.ValidationError(
                "The base64 does not decode to UTF-8 text.", code="utf8_invalid"
            ) from None
        if not decoded.strip():
            raise serializers.ValidationError("The decoded text is empty.", code="blank")
        if len(decoded) > MAX_ORIGINAL_TEXT_CHARS:
            raise serializers.ValidationError(
                f"The decoded text has more than {MAX_ORIGINAL_TEXT_CHARS} characters.", code="max_length"
            )
        return decoded


# --------------------------------------------------------------------------------------------
# Response bodies (the spec's envelope)
# --------------------------------------------------------------------------------------------


# The job runner's statuses in the words of report-sections.md.
SPEC_STATUS = {"pending": "pending", "running": "processing", "succeeded": "completed", "failed": "failed"}


class ReportJobAcceptedData(serializers.Serializer):
    job_id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=["pending", "processing"])


class ReportJobAcceptedOutput(serializers.Serializer):
    status = serializers.ChoiceField(choices=["processing", "busy"])
    message = serializers.CharField()
    data = ReportJobAcceptedData()


class ReportJobResult(serializers.Serializer):
    customer_id = serializers.CharField()
    opportunity_id = serializers.CharField()
    section_title = serializers.CharField()
    generated_section_b64 = serializers.CharField(required=False, help_text="for /generate jobs")
    refined_section_b64 = serializers.CharField(required=False, help_text="for /refine jobs")


class ReportJobError(serializers.Serializer):
    error_code = serializers.CharField(help_text="AI_UNAVAILABLE or INTERNAL_ERROR")
    message = serializers.CharField()


class ReportJobStatusData(serializers.Serializer):
    job_id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=sorted(set(SPEC_STATUS.values())))
    result = ReportJobResult(required=False)
    error = ReportJobError(required=False)


class ReportJobStatusOutput(serializers.Serializer):
    status = serializers.ChoiceField(choices=["processing", "ready", "error"])
    message = serializers.CharField()
    data = ReportJobStatusData()


def _error(job: Job) -> dict[str, str]:
    if job.error_code == "AI_UNAVAILABLE":
        return {"error_code": "AI_UNAVAILABLE", "message": job.error}
    if job.error_code == "internal":
        # The traceback is in the worker's log; the client gets a reference it can quote.
        return {"error_code": "INTERNAL_ERROR", "message": f"Internal error while processing job {job.pk}."}
    return {"error_code": "INTERNAL_ERROR", "message": job.error}


def accepted_body(job: Job) -> dict[str, Any]:
    return {
        "status": "processing",
        "message": "Job queued",
        "data": {"job_id": str(job.pk), "status": SPEC_STATUS[job.status]},
    }


def busy_body(job: Job) -> dict[str, Any]:
    # `ready`/`request_id` as the spec's busy example shows them; `job_id` as DESIGN.md §6 decides.
    job_id = str(job.pk)
    return {
        "status": "busy",
        "message": "Request is busy",
        "data": {"ready": False, "request_id": job_id, "job_id": job_id, "status": SPEC_STATUS[job.status]},
    }


def status_body(job: Job) -> dict[str, Any]:
    status = SPEC_STATUS[job.status]
    data: dict[str, Any] = {"job_id": str(job.pk), "status": status}
    if status == "completed":
        return {
            "status": "ready",
            "message": "Job completed",
            "data": {**data, "result": (job.result or {})["section"]},
        }
    if status == "failed":
        return {"status": "error", "message": "Job failed", "data": {**data, "error": _error(job)}}
    message = "Job processing" if status == "processing" else "Job pending"
    return {"status": "processing", "message": message, "data": data}
