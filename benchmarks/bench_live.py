"""Live mock interviewer (issue 10): one daphne process serving ws/interview/{id}, the load from
this process over real sockets. Each figure beside a baseline measured in the same run:

- text turn: answer -> `score_update` -> next question (or follow-up), local engine, p50 / p95,
  interviews run one at a time; beside a bare echo consumer's round trip for a frame of the same
  size on the same server (what the socket path costs with no work at all). Target p95 < 300 ms.
- voice turn: a 10-second spoken answer (tests/fixtures/live/answer_voice.ogg) -> `transcript` ->
  `score_update`, through the transcription job; beside Whisper alone on the same recording, in
  this process. Target < 2 s.
- 50 interviews at once on the one daphne process, each from `start` to `feedback` (sixteen-odd
  answers and the report job): errors, turn p50 / p95 under that load, server CPU.

    make bench BENCH_ARGS=live
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from benchmarks import harness

LIVE = harness.ROOT / "tests" / "fixtures" / "live"
VOICE = LIVE / "answer_voice.ogg"
SEQUENTIAL_INTERVIEWS = 4
CONCURRENT_INTERVIEWS = 50
VOICE_TURNS = 5
# A middling answer: it says a few of most questions' cues, so some turns get a follow-up.
ANSWER = (
    "In my last role I owned this area end to end. First I measured the problem with metrics and "
    "logs, then I decided on a plan with the team, because the trade-off between speed and risk "
    "mattered. For example, we added monitoring and a rollback path, tested every step, and the "
    "result was that errors dropped by 40% in three months. Next time I would involve users earlier."
)
PROMPTS = ("new_question", "followup")


def _sessions(count: int) -> list[str]:
    """`count` sessions with the senior backend resume and the backend job description, profiled
    once (the profile job's own code) and ready to interview."""
    from interviews.models import LiveDocument, LiveSession
    from interviews.services.live import documents, profiling

    resume_text = (LIVE / "truth.json").read_text()
    resume_text = json.loads(resume_text)["resume_senior_backend.pdf"]["text"]
    jd_text = documents.job_description_clean((LIVE / "jd_backend.txt").read_text())
    template = LiveSession.objects.create()
    resume = LiveDocument.objects.create(session=template, kind="resume", format="pdf", text=resume_text)
    jd = LiveDocument.objects.create(
        session=template, kind="job_description", format="text", text=jd_text, role="Senior Backend Engineer"
    )
    built = profiling.live_profile_build(
        {"resume_id": str(resume.pk), "job_description_id": str(jd.pk), "today": date.today().isoformat()}
    )
    ids = []
    for _ in range(count):
        session = LiveSession.objects.create(
            profile=built["profile"],
            detected_seniority=built["profile"]["detected_seniority"],
            question_plan=built["plan"],
        )
        session.resume = LiveDocument.objects.create(
            session=session, kind="resume", format="pdf", text=resume_text
        )
        session.job_description = LiveDocument.objects.create(
            session=session,
            kind="job_description",
            format="text",
            text=jd_text,
            role="Senior Backend Engineer",
        )
        session.save(update_fields=["resume", "job_description"])
        ids.append(str(session.pk))
    return ids


async def _next(ws: Any, wanted: tuple[str, ...], errors: list[str]) -> tuple[dict[str, Any], float]:
    """The next frame of a wanted type (time_remaining and the like skipped), and when it came."""
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=120))
        if frame["type"] == "error":
            errors.append(frame["data"]["message"])
            raise RuntimeError(frame["data"]["message"])
        if frame["type"] in wanted:
            return frame, time.perf_counter()


async def _interview(port: int, session_id: str, turns: list[float], errors: list[str]) -> bool:
    """One interview from start to feedback; appends answer -> next prompt latencies to `turns`."""
    import websockets

    try:
        async with websockets.connect(
            f"ws://127.0.0.1:{port}/ws/interview/{session_id}", open_timeout=60
        ) as ws:
            await _next(ws, ("connected",), errors)
            await ws.send(json.dumps({"type": "start"}))
            await _next(ws, ("new_question",), errors)
            while True:
                started = time.perf_counter()
                await ws.send(json.dumps({"type": "answer", "data": {"text": ANSWER}}))
                await _next(ws, ("score_update",), errors)
                frame, at = await _next(ws, (*PROMPTS, "phase_update"), errors)
                if frame["type"] == "phase_update":
                    await _next(ws, ("feedback",), errors)
                    return True
                turns.append(at - started)
    except Exception as error:  # a dropped or refused socket is a result, reported beside the numbers
        errors.append(f"{type(error).__name__}: {error}")
        return False


async def _voice_turns(port: int, session_id: str, count: int) -> list[float]:
    """Spoken answers, each until its `score_update`; the first one (model load) is not counted."""
    import websockets

    audio = VOICE.read_bytes()
    timings: list[float] = []
    errors: list[str] = []
    async with websockets.connect(f"ws://127.0.0.1:{port}/ws/interview/{session_id}", max_size=None) as ws:
        await _next(ws, ("connected",), errors)
        await ws.send(json.dumps({"type": "voice_toggle", "data": {"enabled": True}}))
        await ws.send(json.dumps({"type": "start"}))
        await _next(ws, ("new_question",), errors)
        for index in range(count + 1):
            started = time.perf_counter()
            await ws.send(audio)
            await _next(ws, ("transcript",), errors)
            _frame, at = await _next(ws, ("score_update",), errors)
            if index:
                timings.append(at - started)
            await _next(ws, PROMPTS, errors)
    return timings


async def _echo_round_trips(port: int, count: int = 300) -> list[float]:
    import websockets

    frame = json.dumps({"type": "answer", "data": {"text": ANSWER}})
    timings = []
    async with websockets.connect(f"ws://127.0.0.1:{port}/bench/echo") as ws:
        for _ in range(count):
            started = time.perf_counter()
            await ws.send(frame)
            await ws.recv()
            timings.append(time.perf_counter() - started)
    return timings


def _whisper_alone(runs: int = VOICE_TURNS) -> list[float]:
    from analysis.engine_config import whisper_options
    from analysis.engines import audio, speech

    speech.transcribe(audio.decode(VOICE), **whisper_options())  # the model loads once per process
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        speech.transcribe(audio.decode(VOICE), **whisper_options())
        timings.append(time.perf_counter() - started)
    return timings


@contextmanager
def _worker() -> Iterator[None]:
    """With a broker configured the server runs no embedded worker: start one, as production does."""
    from django.conf import settings

    if settings.CELERY_EMBEDDED:
        yield
        return
    with harness.celery_worker(name="bench-live"):
        yield


def _ms(values: list[float], q: float) -> float:
    return harness.percentile([v * 1000 for v in values], q)


def run() -> list[dict[str, Any]]:
    from interviews.seeds import seed_questions

    harness.prepare_database()
    seed_questions()
    sessions = _sessions(SEQUENTIAL_INTERVIEWS + 1 + CONCURRENT_INTERVIEWS)
    sequential_ids = sessions[:SEQUENTIAL_INTERVIEWS]
    voice_id = sessions[SEQUENTIAL_INTERVIEWS]
    concurrent_ids = sessions[SEQUENTIAL_INTERVIEWS + 1 :]
    with _worker(), harness.server("daphne") as (port, pid):

        async def main() -> dict[str, Any]:
            echo = await _echo_round_trips(port)
            sequential: list[float] = []
            errors: list[str] = []
            for session_id in sequential_ids:
                await _interview(port, session_id, sequential, errors)
            voice = await _voice_turns(port, voice_id, VOICE_TURNS)
            concurrent: list[float] = []
            concurrent_errors: list[str] = []
            cpu_before, started = harness.cpu_seconds([pid]), time.perf_counter()
            finished = await asyncio.gather(
                *(_interview(port, sid, concurrent, concurrent_errors) for sid in concurrent_ids)
            )
            elapsed = time.perf_counter() - started
            return {
                "echo": echo,
                "sequential": sequential,
                "errors": errors,
                "voice": voice,
                "concurrent": concurrent,
                "concurrent_errors": concurrent_errors,
                "completed": sum(finished),
                "elapsed": elapsed,
                "cpu": (harness.cpu_seconds([pid]) - cpu_before) / elapsed,
            }

        figures = asyncio.run(main())
        # Measured while the server idles, so both voice figures saw the same machine.
        whisper = _whisper_alone()
    echo, sequential, voice = figures["echo"], figures["sequential"], figures["voice"]
    seconds = json.loads((LIVE / "truth.json").read_text())["answer_voice.ogg"]["duration_seconds"]
    first_error = figures["concurrent_errors"][0] if figures["concurrent_errors"] else ""
    return [
        harness.row(
            "bare echo consumer, answer-sized frame, p50",
            _ms(echo, 50),
            "ms",
            note=f"p95 {_ms(echo, 95):.2f} ms over {len(echo)} round trips",
        ),
        harness.row(
            "text turn: answer -> score_update -> next question, p50",
            _ms(sequential, 50),
            "ms",
            "bare echo p50",
            _ms(echo, 50),
            higher_is_better=False,
            note=f"{len(sequential)} turns in {SEQUENTIAL_INTERVIEWS} interviews, local engine, "
            f"{len(figures['errors'])} errors",
        ),
        harness.row(
            "text turn: answer -> score_update -> next question, p95",
            _ms(sequential, 95),
            "ms",
            "bare echo p95",
            _ms(echo, 95),
            higher_is_better=False,
            note="target < 300 ms",
        ),
        harness.row(
            f"voice turn: {seconds:.0f} s spoken answer -> score_update, p50",
            _ms(voice, 50),
            "ms",
            "Whisper alone on it, p50",
            _ms(whisper, 50),
            higher_is_better=False,
            note=f"max {_ms(voice, 100):.0f} ms over {len(voice)} answers (transcription job + scoring); target < 2000 ms",
        ),
        harness.row(
            f"{CONCURRENT_INTERVIEWS} interviews at once, one daphne: turn p95",
            _ms(figures["concurrent"], 95),
            "ms",
            "one at a time p95",
            _ms(sequential, 95),
            higher_is_better=False,
            note=f"p50 {_ms(figures['concurrent'], 50):.0f} ms; {figures['completed']}/{CONCURRENT_INTERVIEWS} reached "
            f"feedback, {len(figures['concurrent_errors'])} errors{' (' + first_error + ')' if first_error else ''}; "
            f"{len(figures['concurrent'])} turns in {figures['elapsed']:.1f} s, server CPU {figures['cpu']:.2f} cores",
        ),
        harness.row(
            f"{CONCURRENT_INTERVIEWS} interviews at once: errors",
            float(len(figures["concurrent_errors"])),
            "errors",
            note=f"median turn {statistics.median(figures['concurrent']) * 1000:.0f} ms"
            if figures["concurrent"]
            else "no turn completed",
        ),
    ]
