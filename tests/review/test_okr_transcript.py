"""An audio answer's transcript becomes its answer text as soon as the speech engine has it
(issue 13): the founder reads what they said where they would read what they typed."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from channels.db import database_sync_to_async
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from review.models import Answer, Question, ReviewSession
from review.seeds import seed_questions
from tests.review.okr_flow import AUDIO, WORKER_TIMEOUT


def _answer_first_question(review_id: str, **fields: Any) -> int:
    seed_questions()
    question = Question.objects.filter(is_active=True).order_by("order").first()
    assert question is not None
    upload = SimpleUploadedFile("answer.wav", (AUDIO / "speech_clean.wav").read_bytes())
    response = APIClient().post(
        f"/api/review/{review_id}/answer/",
        {"question_id": question.id, "audio_file": upload, **fields},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    return int(response.json()["answer"]["id"])


async def _transcribed(answer_id: int) -> Answer:
    deadline = time.monotonic() + WORKER_TIMEOUT
    while True:
        answer = await database_sync_to_async(Answer.objects.get)(pk=answer_id)
        if answer.transcription_status != Answer.Transcription.PENDING or time.monotonic() > deadline:
            return answer
        await asyncio.sleep(0.2)


async def test_a_recorded_answer_gets_its_transcript_as_answer_text(
    transactional_db: Any, celery_worker: str, media_cleanup: list[str]
) -> None:
    # given a founder who answers the first question with a recording only
    review = await database_sync_to_async(ReviewSession.objects.create)()
    media_cleanup.append(str(review.id))
    answer_id = await database_sync_to_async(_answer_first_question)(str(review.id))
    # when the background job has transcribed it
    answer = await _transcribed(answer_id)
    # then the words are the answer's text, and the transcript is kept beside them
    assert answer.transcription_status == Answer.Transcription.DONE
    assert "library" in answer.answer_text.lower()
    assert answer.answer_text == answer.transcript
    assert answer.text == answer.answer_text


async def test_typed_text_beside_a_recording_still_wins(
    transactional_db: Any, celery_worker: str, media_cleanup: list[str]
) -> None:
    # given an answer with both a recording and typed text
    review = await database_sync_to_async(ReviewSession.objects.create)()
    media_cleanup.append(str(review.id))
    answer_id = await database_sync_to_async(_answer_first_question)(
        str(review.id), answer_text="Double active sellers by December 2026, from 400 to 800."
    )
    # when the recording is transcribed
    answer = await _transcribed(answer_id)
    # then the typed text stays the answer and the transcript is stored on its own
    assert answer.transcription_status == Answer.Transcription.DONE
    assert answer.answer_text == "Double active sellers by December 2026, from 400 to 800."
    assert "library" in answer.transcript.lower()
