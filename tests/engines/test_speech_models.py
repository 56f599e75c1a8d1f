"""Whisper models shipped in packages: WHISPER_MODEL picks one, nothing is downloaded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis import engine_config
from analysis.engines import audio, speech, speech_models

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "audio"


def test_the_default_is_the_bundled_tiny_english_model(settings: pytest.FixtureRequest) -> None:
    settings.WHISPER_MODEL = ""
    assert engine_config.whisper_options() == {"model": None, "compute_type": "int8", "language": None}


def test_base_is_joined_from_its_two_packages_once_and_forced_to_english(settings, tmp_path) -> None:
    # given WHISPER_MODEL=base and an empty cache
    settings.WHISPER_MODEL, settings.VAR_DIR = "base", tmp_path
    # when the options are read twice
    first = engine_config.whisper_options()
    joined = Path(first["model"]) / "model.bin"
    mtime = joined.stat().st_mtime_ns
    second = engine_config.whisper_options()
    # then the model directory holds the joined weights (145 MB), made once, and English is forced
    assert first == second and first["language"] == "en"
    assert joined.stat().st_size == 145_217_607 and joined.stat().st_mtime_ns == mtime
    assert {p.name for p in joined.parent.iterdir()} == {
        "model.bin",
        "config.json",
        "tokenizer.json",
        "vocabulary.json",
    }


def test_the_base_model_transcribes_a_read_passage_with_fewer_errors_than_tiny(settings, tmp_path) -> None:
    settings.WHISPER_MODEL, settings.VAR_DIR = "base", tmp_path
    reference = json.loads((FIXTURES / "truth.json").read_text())["speech_clean.wav"]["text"]
    clip = audio.decode(FIXTURES / "speech_clean.wav")
    base = speech.transcribe(clip, **engine_config.whisper_options())
    tiny = speech.transcribe(clip)
    assert speech.word_error_rate(reference, base.text) < 0.05
    assert speech.word_error_rate(reference, base.text) <= speech.word_error_rate(reference, tiny.text)


def test_an_unknown_bundled_name_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown bundled model 'small'"):
        speech_models.model_dir("small", cache_dir=Path("/nonexistent"))
