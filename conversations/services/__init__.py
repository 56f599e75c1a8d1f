"""Writes of field conversations: calls (start, chunk upload, stop), the live transcription job,
and the hand-over to the analysis."""

from __future__ import annotations

from conversations.services.analysis import (
    ANALYSIS_KIND,
    analysis_complete,
    analysis_fail,
    analysis_run,
    catalog_entry_save,
    catalog_rows,
    catalog_seed,
    conversation_analysis_start,
    conversation_analyze,
)
from conversations.services.calls import (
    MAX_CHUNK_BYTES,
    TRANSCRIBE_KIND,
    chunk_upload,
    conversation_start,
    conversation_stop,
)
from conversations.services.nudges import nudge_action_record, nudge_frame, nudges_update
from conversations.services.transcription import (
    frames_pending_take,
    segment_frame,
    transcription_announce,
    transcription_run,
)

__all__ = [
    "ANALYSIS_KIND",
    "MAX_CHUNK_BYTES",
    "analysis_complete",
    "analysis_fail",
    "analysis_run",
    "catalog_entry_save",
    "catalog_rows",
    "catalog_seed",
    "conversation_analyze",
    "nudge_action_record",
    "nudge_frame",
    "nudges_update",
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
