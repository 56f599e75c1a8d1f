"""Interview practice (issue 6).

- Live metrics: 1, 10 and 100 practice sockets (`ws/analysis/{session_id}`, one user each, the
  cap being one per user) streaming 4096-sample float32 frames at 48 kHz in real time; median
  and p99 round trip per frame and server CPU, beside the bare echo consumer (bench_platform's
  baseline, shared through harness.memo) and a bare numpy-RMS consumer measured in the same run.
  Goal: p99 within 2x of the echo consumer at 100 sockets.
- Report generation: seconds of work per minute of media for an audio and a video answer (what
  the Celery job runs: decode, Whisper, audio features, video features, scoring, feedback),
  beside Whisper transcription alone on the same media.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

from benchmarks import harness
from benchmarks.bench_platform import echo_socket_baseline

SOCKET_COUNTS = (1, 10, 100)
SECONDS = 5.0
FIXTURES = harness.ROOT / "tests" / "fixtures"
REPORT_MEDIA = (
    ("audio answer (wav, 25 s)", FIXTURES / "audio" / "speech_fillers.wav", "audio"),
    ("video answer (webm VP8+Opus, 12 s)", FIXTURES / "practice" / "answer_face.webm", "video"),
)


def _practice_users(count: int) -> list[tuple[str, str]]:
    """(session id, access token) for `count` bench users, each owning one practice session."""
    from accounts.models import User
    from accounts.services import tokens_issue
    from interviews.models import PracticeSession

    pairs = []
    for index in range(count):
        user, _ = User.objects.get_or_create(email=f"bench-practice-{index}@example.com")
        session = PracticeSession.objects.filter(user=user).first() or PracticeSession.objects.create(
            user=user, job_title="Bench", interviewer_type="Tech"
        )
        pairs.append((str(session.pk), tokens_issue(user=user).access))
    return pairs


def practice_sockets(count: int, users: list[tuple[str, str]]) -> dict[str, Any]:
    with harness.server("daphne") as (port, pid):
        cpu_before, started = harness.cpu_seconds([pid]), time.perf_counter()
        result = harness.socket_load(
            lambda i: (
                f"ws://127.0.0.1:{port}/ws/analysis/{users[i][0]}?token={users[i][1]}&sample_rate=48000"
            ),
            sockets=count,
            seconds=SECONDS,
            reply_type="metrics",
        )
        result["server_cpu_cores"] = (harness.cpu_seconds([pid]) - cpu_before) / (
            time.perf_counter() - started
        )
    return result


def _note(result: dict[str, Any]) -> str:
    errors = f", first error: {result['first_error']}" if result["errors"] else ""
    return (
        f"p50 {result['p50_ms']:.2f} ms, {result['frames']} frames, {result['errors']} errors, "
        f"server CPU {result['server_cpu_cores']:.2f} cores{errors}"
    )


def report_timings() -> list[dict[str, Any]]:
    """Report generation per minute of media, through the worker's code path, in this process."""
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.models import User
    from analysis.engine_config import whisper_options
    from analysis.engines import audio, speech
    from interviews import services
    from interviews.models import PracticeSession

    user, _ = User.objects.get_or_create(email="bench-practice-report@example.com")
    session = PracticeSession.objects.create(user=user, job_title="Bench", interviewer_type="Behavioral")
    # A worker loads the model at start and has run jobs before: warm up the same way.
    speech.transcribe(audio.decode(FIXTURES / "audio" / "speech.webm"), **whisper_options())
    rows = []
    try:
        for label, path, media_type in REPORT_MEDIA:
            upload = SimpleUploadedFile(path.name, Path(path).read_bytes())
            media = services.practice_media_upload(session=session, upload=upload, media_type=media_type)
            minutes = media.duration_seconds / 60.0
            started = time.perf_counter()
            speech.transcribe(audio.decode(path), **whisper_options())
            transcribe_seconds = time.perf_counter() - started
            started = time.perf_counter()
            services.practice_report_build(media_id=media.pk)
            report_seconds = time.perf_counter() - started
            rows.append(
                harness.row(
                    f"report generation, {label}",
                    report_seconds / minutes,
                    "s/min",
                    "Whisper transcription alone",
                    transcribe_seconds / minutes,
                    higher_is_better=False,
                    note=f"{report_seconds:.2f} s for {media.duration_seconds:.1f} s of media "
                    f"({media.duration_seconds / report_seconds:.0f}x real time)",
                )
            )
    finally:
        folder = Path(settings.MEDIA_ROOT) / "practice" / str(session.pk)
        session.delete()  # the recordings go with it (post_delete)
        shutil.rmtree(folder, ignore_errors=True)
    return rows


def run() -> list[dict[str, Any]]:
    harness.prepare_database()
    users = _practice_users(max(SOCKET_COUNTS))
    rows = []
    for count in SOCKET_COUNTS:
        echo = harness.memo(f"echo_ws_{count}", lambda count=count: echo_socket_baseline(count))
        practice = practice_sockets(count, users)
        rows.append(
            harness.row(
                f"practice live-metrics sockets, {count}, p99",
                practice["p99_ms"],
                "ms",
                "bare echo consumer p99",
                echo["p99_ms"],
                higher_is_better=False,
                note=f"{_note(practice)} | echo: {_note(echo)}",
            )
        )
    rms = harness.memo("rms_ws_100", lambda: echo_socket_baseline(100, path="/bench/rms"))
    rows.append(
        harness.row(
            "bare numpy-RMS consumer, 100 sockets, p99",
            rms["p99_ms"],
            "ms",
            "bare echo consumer p99",
            harness.memo("echo_ws_100", lambda: echo_socket_baseline(100))["p99_ms"],
            higher_is_better=False,
            note=_note(rms),
        )
    )
    rows.extend(report_timings())
    return rows
