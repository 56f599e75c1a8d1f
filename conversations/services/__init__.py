"""Writes of field conversations: calls (start, chunk upload, stop), the live transcription job,
and the hand-over to the analysis."""

from __future__ import annotations

from conversations.services.analysis import conversation_analysis_start
from conversations.services.calls import (
    MAX_CHUNK_BYTES,
    TRANSCRIBE_KIND,
    chunk_upload,
    conversation_start,
    conversation_stop,
)
from conversations.services.transcription import (
    frames_pending_take,
    segment_frame,
    transcription_announce,
    transcription_run,
)

__all__ = [
    "MAX_CHUNK_BYTES",
    "TRANSCRIBE_KIND",
    "chunk_upload",
    "conversation_analysis_start",
    "conversation_start",
    "conversation_stop",
    "frames_pending_take",
    "segment_frame",
    "transcription_announce",
    "transcription_run",
]
