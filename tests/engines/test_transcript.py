"""The timed transcript the speech, audio and text engines share, and the dict it is stored as."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from analysis.engines import speech
from analysis.engines.transcript import Segment, Transcript, Word

ROOT = Path(__file__).resolve().parents[2]


def two_sentences() -> Transcript:
    first = (Word(0.12, 0.4, "So,", 0.91), Word(0.4, 0.9, "umm,", 0.42), Word(0.95, 1.3, "yes.", 0.88))
    second = (Word(2.0, 2.25, "We", 0.97), Word(2.25, 2.7, "shipped.", 0.83))
    return Transcript(
        segments=(
            Segment(0.12, 1.3, "So, umm, yes.", 0.7367, first),
            Segment(2.0, 2.7, "We shipped.", 0.9, second),
        ),
        language="en",
        duration_seconds=3.5,
    )


def test_from_dict_reads_back_what_to_dict_stored() -> None:
    # given a transcript stored as JSON, the way a job keeps it
    transcript = two_sentences()
    stored = json.loads(json.dumps(transcript.to_dict()))
    # when it is read back
    restored = Transcript.from_dict(stored)
    # then it is the same transcript, text and words included
    assert restored == transcript
    assert restored.text == "So, umm, yes. We shipped."
    assert [w.text for w in restored.words] == ["So,", "umm,", "yes.", "We", "shipped."]


def test_from_dict_tolerates_the_optional_keys_missing() -> None:
    # given a stored transcript without confidences, probabilities, language or duration
    stored = {"segments": [{"start": 0, "end": 1.5, "text": "Hello there.", "words": [
        {"start": 0, "end": 0.6, "text": "Hello"}, {"start": 0.7, "end": 1.5, "text": "there."},
    ]}, {"start": 2, "end": 3, "text": "Bye."}]}  # fmt: skip
    # when it is read back
    restored = Transcript.from_dict(stored)
    # then the gaps take their defaults
    assert restored.language == "en" and restored.duration_seconds == 0.0
    assert [s.confidence for s in restored.segments] == [0.0, 0.0]
    assert [w.probability for w in restored.words] == [0.0, 0.0]
    assert restored.segments[1].words == ()
    assert Transcript.from_dict({}) == Transcript(segments=(), language="en", duration_seconds=0.0)


def test_speech_re_exports_the_shared_transcript_types() -> None:
    assert (speech.Transcript, speech.Segment, speech.Word) == (Transcript, Segment, Word)


def test_engines_import_without_django_and_audio_without_speech() -> None:
    # given a fresh interpreter, so nothing the test run imported can hide an import
    probe = (
        "import sys\n"
        "import analysis.engines.audio, analysis.engines.text, analysis.engines.transcript\n"
        "assert 'analysis.engines.speech' not in sys.modules, 'audio imports speech'\n"
        "import analysis.engines.speech\n"
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')], 'django'\n"
    )
    # when the engines are imported
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True)
    # then the audio engine stands without the speech engine, and neither needs Django
    assert result.returncode == 0, result.stderr
