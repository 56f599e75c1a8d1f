"""Speech engine: the bundled tiny.en model on synthetic speech whose words and hesitations are known."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from analysis.engines import audio, speech
from analysis.engines import text as text_engine
from analysis.engines.speech import Transcript, Word

# Whisper's word times drift by a few tenths of a second around pauses.
TIMING_TOLERANCE = 0.3


@pytest.fixture(scope="module")
def transcripts(audio_dir: Path) -> dict[str, tuple[audio.Audio, Transcript]]:
    """Each speech fixture decoded and transcribed once, with the defaults (tiny.en int8, fillers kept)."""
    out = {}
    for name in ("speech_clean.wav", "speech_fillers.wav", "speech_no_fillers.wav"):
        clip = audio.decode(audio_dir / name)
        out[name] = (clip, speech.transcribe(clip))
    return out


def matched(intervals: list[list[float]], fillers: list[speech.Filler]) -> int:
    return sum(
        any(start - TIMING_TOLERANCE < f.end and f.start < end + TIMING_TOLERANCE for f in fillers)
        for start, end in intervals
    )


def test_clean_speech_word_error_rate_is_at_most_8_percent(
    transcripts: dict[str, tuple[audio.Audio, Transcript]], audio_truth: dict[str, Any]
) -> None:
    # given a 22 s passage read by eSpeak, transcribed with the filler prompt on
    _, transcript = transcripts["speech_clean.wav"]
    # then the words match the script
    wer = speech.word_error_rate(audio_truth["speech_clean.wav"]["text"], transcript.text)
    print(f"\nclean WER {wer:.3f}: {transcript.text}")
    assert wer <= 0.08


def test_hesitations_are_kept_by_the_prompt_and_recovered_from_the_audio(
    transcripts: dict[str, tuple[audio.Audio, Transcript]], audio_truth: dict[str, Any]
) -> None:
    # given an interview answer with seven "um"/"uh" at known times
    clip, transcript = transcripts["speech_fillers.wav"]
    truth = audio_truth["speech_fillers.wav"]["filled_pauses"]
    # when fillers are counted from the transcript alone, and with the audio detector
    counted = speech.count_fillers(transcript, clip)
    hesitations = [f for f in counted.fillers if f.kind == "filled_pause"]
    from_transcript = [f for f in hesitations if f.source == "transcript"]
    from_audio = [f for f in hesitations if f.source == "audio"]
    found_by_transcript = matched(truth, from_transcript)
    found = matched(truth, hesitations)
    print(
        f"\nhesitations found: transcript {found_by_transcript}/7, with audio detector {found}/7 "
        f"(+{len(from_audio)} recovered): {transcript.text}"
    )
    # then at least six of the seven are found, and everything the detector adds is a real one
    assert found >= 6
    for recovered in from_audio:
        assert (
            matched([[recovered.start, recovered.end]], [speech.Filler("", s, e, "", "") for s, e in truth])
            == 1
        )
    assert counted.filled_pause_count == len(hesitations) <= 7


def test_no_filler_is_invented_in_fluent_speech(
    transcripts: dict[str, tuple[audio.Audio, Transcript]],
) -> None:
    # given fluent answers without a single hesitation, "like" or "you know"
    for name in ("speech_no_fillers.wav", "speech_clean.wav"):
        clip, transcript = transcripts[name]
        # when fillers are counted with the audio detector
        counted = speech.count_fillers(transcript, clip)
        # then there are none
        assert counted.fillers == (), (name, counted.fillers)


def test_filler_ratio_in_features_counts_recovered_hesitations(
    transcripts: dict[str, tuple[audio.Audio, Transcript]],
) -> None:
    # given the hesitant answer
    clip, transcript = transcripts["speech_fillers.wav"]
    counted = speech.count_fillers(transcript, clip)
    # when its features are computed
    result = audio.features(clip, transcript)
    # then fillers / words uses the same count, recovered hesitations counting as words said
    assert result.filler_count == counted.total
    assert result.word_count == len(transcript.words) + counted.audio_count
    assert result.filler_word_ratio == pytest.approx(counted.total / result.word_count)
    assert result.filler_word_ratio > 0.08 and result.emotion == "nervous"


def test_transcript_is_sentences_of_timed_words(
    transcripts: dict[str, tuple[audio.Audio, Transcript]],
) -> None:
    clip, transcript = transcripts["speech_clean.wav"]
    # then segments are the passage's four sentences, each ending in punctuation
    assert len(transcript.segments) == 4
    assert all(segment.text.endswith(".") for segment in transcript.segments)
    # and words run forward in time inside the media, with probabilities
    words = transcript.words
    assert all(a.start <= b.start for a, b in zip(words, words[1:], strict=False))
    assert 0.0 <= words[0].start and words[-1].end <= clip.duration_seconds + 0.05
    assert all(0.0 <= w.probability <= 1.0 and w.start <= w.end for w in words)
    assert all(0.5 < s.confidence <= 1.0 for s in transcript.segments)
    assert transcript.language == "en"
    # and the dictionary form is JSON and says the same
    as_dict = json.loads(json.dumps(transcript.to_dict()))
    assert as_dict["text"] == transcript.text
    assert sum(len(s["words"]) for s in as_dict["segments"]) == len(words)


def test_silence_transcribes_to_nothing(audio_dir: Path) -> None:
    # given a second of room hiss, on which Whisper likes to write "Thank you."
    transcript = speech.transcribe(audio.decode(audio_dir / "silence.wav"))
    assert transcript.text == "" and transcript.words == () and transcript.duration_seconds == 1.0


def test_browser_webm_is_transcribed(audio_dir: Path, audio_truth: dict[str, Any]) -> None:
    # given one sentence as a 24 kb/s opus webm, the format browsers record
    transcript = speech.transcribe(audio.decode(audio_dir / "speech.webm"))
    assert speech.word_error_rate(audio_truth["encoded"]["text"], transcript.text) <= 0.15


def test_speech_at_48_khz_is_resampled_for_whisper(audio_dir: Path, audio_truth: dict[str, Any]) -> None:
    clip = audio.decode(audio_dir / "speech.ogg", sample_rate=48000)
    transcript = speech.transcribe(clip, keep_fillers=False)
    assert speech.word_error_rate(audio_truth["encoded"]["text"], transcript.text) <= 0.15
    assert transcript.duration_seconds == pytest.approx(clip.duration_seconds)


def test_model_is_loaded_once_per_process_even_under_concurrency() -> None:
    # when many threads ask for the default model at once
    loaded: list[object] = []
    threads = [threading.Thread(target=lambda: loaded.append(speech.load_model())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then they all share one instance
    assert len({id(model) for model in loaded}) == 1
    assert speech.load_model() is loaded[0]


def test_unknown_model_fails_with_transcription_error_and_no_download(tmp_path: Path) -> None:
    with pytest.raises(speech.TranscriptionError, match="could not load speech model"):
        speech.load_model(str(tmp_path / "no-such-model"))
    with pytest.raises(speech.TranscriptionError):
        speech.transcribe(audio.Audio(np.zeros(1600, np.float32)), model="no-such-model-name")


def test_default_model_is_the_bundled_tiny_en() -> None:
    path = Path(speech.default_model_path())
    assert (path / "model.bin").is_file() and (path / "config.json").is_file()


def words(*items: str) -> list[Word]:
    return [Word(float(i), float(i) + 0.5, text, 0.9) for i, text in enumerate(items)]


@pytest.mark.parametrize(
    ("text", "fillers"),
    [
        (["So,", "umm,", "I", "think"], ["umm"]),
        (["Uh", "we", "shipped", "it"], ["uh"]),
        (["We", "had", "like,", "three", "months."], ["like"]),
        (["I", "like", "apples."], []),
        (["What", "do", "you", "like?"], []),
        (["And,", "you", "know,", "it", "worked."], ["you know"]),
        (["Do", "you", "know", "him?"], []),
        (["I", "mean,", "it", "is", "hard."], ["i mean"]),
        (["Hmm.", "Erm,", "okay."], ["hmm", "erm"]),
    ],
)
def test_transcript_fillers_tell_filler_use_from_content(text: list[str], fillers: list[str]) -> None:
    assert [f.text for f in speech.transcript_fillers(words(*text))] == fillers


@pytest.mark.parametrize(
    "word", ["Umm,", "uh", "Erm.", "hm", "hmmm...", "ahh", "mhm", "Mm.", "mmm", "'em", "em", "uh-huh"]
)
def test_speech_audio_and_text_agree_on_which_words_are_hesitations(word: str) -> None:
    # given a word as Whisper writes it, between two content words
    is_hesitation = text_engine.is_hesitation(word)
    # then the transcript fillers, the audio detector's lexicon and the text engine all say the same
    said = [f.text for f in speech.transcript_fillers(words("We", word, "shipped"))]
    assert (len(said) == 1) is is_hesitation
    assert audio.is_filled_pause_word(word) is is_hesitation
    in_text = [f.word for f in text_engine.find_fillers(f"We {word} shipped")]
    assert (len(in_text) == 1) is is_hesitation


@pytest.mark.parametrize(
    ("reference", "hypothesis", "expected"),
    [
        ("The cat sat down.", "the cat sat down", 0.0),
        ("The cat sat down.", "The cat sat town.", 0.25),
        ("The cat sat down.", "The cat down.", 0.25),
        ("The cat sat down.", "Oh the cat sat down.", 0.25),
        ("It's fine", "its fine", 0.5),
        ("", "", 0.0),
        ("", "words", 1.0),
    ],
)
def test_word_error_rate(reference: str, hypothesis: str, expected: float) -> None:
    assert speech.word_error_rate(reference, hypothesis) == pytest.approx(expected)
