"""Voice answers: with voice mode on, one binary frame holding a recording is transcribed by the
speech engine (a job on the real worker), echoed back, and scored as the answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from channels.db import database_sync_to_async
from django.conf import settings

from analysis.engines.speech import word_error_rate
from interviews.models import LiveSession, LiveTurn
from tests.interviews.live.conftest import LIVE, NEXT, TRUTH, frames_until, send, started

pytestmark = pytest.mark.django_db(transaction=True)

VOICE = LIVE / "answer_voice.ogg"


def _recordings(session_id: str) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "live" / session_id
    return sorted(folder.iterdir()) if folder.exists() else []


async def test_a_recording_is_refused_while_voice_mode_is_off(interview: str) -> None:
    socket, _frames = await started(interview)
    await socket.send_to(bytes_data=VOICE.read_bytes())
    error = await socket.receive_json_from(timeout=10)
    assert error["type"] == "error" and error["data"]["code"] == 4409
    assert "voice_toggle" in error["data"]["message"]
    assert (
        await database_sync_to_async(
            LiveTurn.objects.filter(session_id=interview, answered_at__isnull=False).count
        )()
        == 0
    )
    await socket.disconnect()


async def test_a_spoken_answer_is_transcribed_echoed_and_scored(interview: str) -> None:
    socket, frames = await started(interview)
    # when voice mode is switched on and a recording (Ogg/Opus, as a browser sends it) arrives
    await send(socket, "voice_toggle", {"enabled": True})
    await socket.send_to(bytes_data=VOICE.read_bytes())
    frames = await frames_until(socket, lambda frame: frame["type"] in (*NEXT, "error"))
    # then the transcript comes back first, close to what was said
    heard, score = frames[0], frames[1]
    assert heard["type"] == "transcript" and heard["data"]["question_number"] == 1
    assert word_error_rate(TRUTH["answer_voice.ogg"]["text"], heard["data"]["text"]) < 0.3
    assert heard["data"]["duration_seconds"] == pytest.approx(
        TRUTH["answer_voice.ogg"]["duration_seconds"], abs=0.1
    )
    # and it is scored as the answer: it names deploying, health checks, autoscaling, alerts
    assert score["type"] == "score_update" and score["data"]["strengths"]
    assert frames[-1]["type"] in ("followup", "new_question")
    turn = await database_sync_to_async(LiveTurn.objects.get)(session_id=interview, order=1)
    assert turn.answer_source == "voice" and turn.answer_text == heard["data"]["text"]
    assert (await database_sync_to_async(LiveSession.objects.get)(pk=interview)).is_voice_enabled
    # and the recording itself is not kept
    assert _recordings(interview) == []
    await socket.disconnect()


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"\x00\x01" * 2000, "not a recording"),
        (b"", "empty"),
        ((LIVE / "resume_senior_backend.pdf").read_bytes(), "not"),
    ],
)
async def test_a_frame_that_is_no_recording_gets_an_error_and_the_question_waits(
    interview: str, data: bytes, says: str
) -> None:
    socket, frames = await started(interview)
    await send(socket, "voice_toggle", {"enabled": True})
    await socket.send_input({"type": "websocket.receive", "bytes": data})
    error = await socket.receive_json_from(timeout=10)
    assert error["type"] == "error" and error["data"]["code"] == 4400 and says in error["data"]["message"]
    await send(socket, "ready")
    assert (await frames_until(socket, "new_question"))[-1]["data"]["question_number"] == 1
    assert _recordings(interview) == []
    await socket.disconnect()


async def test_silence_is_transcribed_to_nothing_and_the_question_waits(interview: str) -> None:
    socket, _frames = await started(interview)
    await send(socket, "voice_toggle", {"enabled": True})
    await socket.send_to(bytes_data=(LIVE.parent / "audio" / "silence.wav").read_bytes())
    frames = await frames_until(socket, "error")
    assert frames[0]["type"] == "transcript" and frames[0]["data"]["text"] == ""
    assert "No speech" in frames[-1]["data"]["message"]
    turn = await database_sync_to_async(LiveTurn.objects.get)(session_id=interview, order=1)
    assert turn.answered_at is None
    await socket.disconnect()
