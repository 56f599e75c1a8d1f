"""The live transcription measured on the committed two-voice calls (scripts/make_call_fixtures.py):
chunk by chunk as the service runs it, with the speech model the service uses. Different voices,
pitches and speeds; speaker changes inside chunks; cuts mid-word."""

from __future__ import annotations

from functools import cache

import pytest

from analysis.engines import audio as audio_engine
from analysis.engines import speech
from conversations import diarization
from conversations.evaluation import CallScore, score_call
from conversations.services import transcription
from tests.conversations.conftest import chunk_files, truth

CALLS = ["service_call", "followup_call", "quick_turns_call", "two_men_call", "two_women_call"]


def chunks_of(call: str) -> list[audio_engine.Audio]:
    return [audio_engine.decode(path) for path in chunk_files(call)]


@cache
def scores(keep_fillers: bool, recover: bool) -> dict[str, CallScore]:
    def transcribe(audio: audio_engine.Audio) -> speech.Transcript:
        return speech.transcribe(audio, keep_fillers=keep_fillers)

    results: dict[str, CallScore] = {}
    profile = None
    for call in CALLS:
        # followup_call is Sam again: his profile comes from service_call, as it would in service.
        results[call] = score_call(
            chunks_of(call),
            truth()[call]["turns"],
            profile=profile if call == "followup_call" else None,
            transcribe=transcribe,
            recover_missed_turns=recover,
        )
        if call == "service_call":
            profile = diarization.technician_model(results[call].runs, results[call].labels)
    return results


def test_ninety_percent_of_words_are_on_the_right_speaker():
    measured = scores(transcription.KEEP_FILLERS, True)
    right = sum(s.words_on_right_speaker for s in measured.values())
    total = sum(s.words for s in measured.values())
    assert total > 250
    assert right / total >= 0.9, {c: round(s.speaker_accuracy, 3) for c, s in measured.items()}
    # and no call falls far behind (the two male voices close in pitch are the hardest pair)
    assert min(s.speaker_accuracy for s in measured.values()) >= 0.8


def test_no_turn_of_either_voice_is_lost_with_the_service_settings():
    measured = scores(transcription.KEEP_FILLERS, True)
    assert {call: s.turns_lost for call, s in measured.items()} == dict.fromkeys(CALLS, 0)


def test_a_turn_whisper_skips_is_brought_back_by_the_second_pass():
    # The trial the issue reports: on two-voice audio tiny.en now and then writes one voice and skips
    # the other's turn. On these fixtures, cut at pauses, it did not (0 turns lost with and without
    # the filler prompt; see the README), so the skip is reproduced here: the speech model's first
    # pass over each chunk loses every word of the customer's first turn, later passes are untouched.
    call = "service_call"
    turn = next(t for t in truth()[call]["turns"] if t["speaker"] == "customer")
    offsets = [c["start"] for c in truth()[call]["chunks"]]
    seen: set[float] = set()

    def skipping(audio: audio_engine.Audio) -> speech.Transcript:
        transcript = speech.transcribe(audio, keep_fillers=transcription.KEEP_FILLERS)
        if audio.duration_seconds < 4.0 or audio.duration_seconds in seen:
            return transcript  # a second pass over one run, or the same audio again
        seen.add(audio.duration_seconds)
        start = offsets[len(seen) - 1] if len(seen) <= len(offsets) else 0.0

        def kept(segment: speech.Segment) -> bool:
            return not any(turn["start"] <= start + w.start <= turn["end"] for w in segment.words)

        return speech.Transcript(
            tuple(filter(kept, transcript.segments)), transcript.language, transcript.duration_seconds
        )

    chunks, turns = chunks_of(call), truth()[call]["turns"]
    without = score_call(chunks, turns, profile=None, transcribe=skipping, recover_missed_turns=False)
    seen.clear()
    with_pass = score_call(chunks, turns, profile=None, transcribe=skipping, recover_missed_turns=True)
    assert without.turns_lost >= 1
    assert with_pass.turns_lost == 0
    assert with_pass.whisper_passes > without.whisper_passes


def test_the_first_voice_is_the_technician_only_without_a_profile():
    blind = score_call(
        chunks_of("followup_call"),
        truth()["followup_call"]["turns"],
        profile=None,
        transcribe=lambda audio: speech.transcribe(audio, keep_fillers=transcription.KEEP_FILLERS),
    )
    assert blind.speaker_accuracy < 0.2  # the customer opened this call


@pytest.mark.parametrize("call", CALLS)
def test_each_call_has_both_voices_and_times_in_call_order(call):
    measured = scores(transcription.KEEP_FILLERS, True)[call]
    starts = [s.start for s in measured.segments]
    assert starts == sorted(starts)
    assert {s.speaker for s in measured.segments} == {"technician", "customer"}
    assert all(0 <= s.start <= s.end <= truth()[call]["duration_seconds"] + 0.5 for s in measured.segments)
