"""Background work of the review: transcribing recorded answers."""

from __future__ import annotations

from celery import shared_task

from review import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def answer_transcribe_task(answer_id: int) -> None:
    services.answer_transcribe(answer_id=answer_id)  # a redelivery finds the transcript done
