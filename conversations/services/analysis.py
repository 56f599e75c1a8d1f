"""The hand-over from the capture half to the analysis of a call (issue 11).

Called once per conversation, after commit, when the call has stopped and its transcript is
complete (every chunk transcribed, the last words made final, the technician's voice profile
updated): the conversation's status is `processing` and `selectors.transcript_segments` holds the
whole speaker-labelled transcript in call order.
"""

from __future__ import annotations

from conversations.models import Conversation


def conversation_analysis_start(*, conversation: Conversation) -> None:
    """The analysis job is enqueued here (issue 11); until then the call stays `processing`."""
