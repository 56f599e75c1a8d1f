"""Audio engine: decoding, pitch, pauses, features and the live analyser, on real media with known truth."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import parselmouth
import pytest

from analysis.engines import audio, speech
from analysis.engines.audio import Audio, MediaError, StreamingAnalyzer

ENCODED = ["speech.webm", "speech.ogg", "speech.mp3", "speech.m4a", "speech.flac", "video.mp4"]


def envelope(samples: np.ndarray, sample_rate: int = 16000) -> np.ndarray:
    window = sample_rate // 40
    return np.convolve(samples.astype(np.float64) ** 2, np.ones(window), "valid")[:: sample_rate // 100]


def feed_all(analyzer: StreamingAnalyzer, samples: np.ndarray, frame: int = 4096) -> list[audio.LiveMetrics]:
    return [analyzer.feed(samples[i : i + frame]) for i in range(0, samples.size, frame)]


def nudges(metrics: list[audio.LiveMetrics], frame: int, sample_rate: int) -> list[tuple[float, str]]:
    return [(round(i * frame / sample_rate, 2), m.nudge) for i, m in enumerate(metrics) if m.nudge]


@pytest.fixture(scope="module")
def pauses_transcript(audio_dir: Path) -> speech.Transcript:
    return speech.transcribe(audio.decode(audio_dir / "speech_pauses.wav"))


# ---------------------------------------------------------------------------------------------
# Decoding and probing


@pytest.mark.parametrize("name", ENCODED)
def test_decode_reads_every_container_as_the_same_speech(
    audio_dir: Path, audio_truth: dict[str, Any], name: str
) -> None:
    # given the same sentence encoded as opus/webm, opus/ogg, mp3, stereo 44.1 kHz aac/m4a, flac, mp4
    reference = audio.decode(audio_dir / "speech.flac")
    # when it is decoded to 16 kHz mono
    decoded = audio.decode(audio_dir / name)
    # then it lasts as long as the original and its loudness contour matches the lossless copy
    assert decoded.sample_rate == 16000
    assert decoded.samples.dtype == np.float32 and decoded.samples.ndim == 1
    assert decoded.duration_seconds == pytest.approx(audio_truth["encoded"]["duration_seconds"], abs=0.06)
    n = min(decoded.samples.size, reference.samples.size)
    assert np.corrcoef(envelope(decoded.samples[:n]), envelope(reference.samples[:n]))[0, 1] > 0.97


def test_decode_accepts_paths_bytes_and_file_objects_at_any_rate(audio_dir: Path) -> None:
    # given one webm recording handed over three ways
    path = audio_dir / "speech.webm"
    data = path.read_bytes()
    # when decoded from a str path, raw bytes and an upload-like file object (probed, then decoded
    # at 48 kHz)
    from_path = audio.decode(str(path))
    from_bytes = audio.decode(data)
    upload = io.BytesIO(data)
    probed = audio.probe(upload)
    from_file = audio.decode(upload, sample_rate=48000)
    # then all agree, even after the upload was probed first
    assert probed.has_audio
    assert from_path.samples.size == from_bytes.samples.size
    assert from_file.sample_rate == 48000
    assert from_file.duration_seconds == pytest.approx(from_path.duration_seconds, abs=0.01)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("corrupt.bin", "could not decode audio"),
        ("truncated.webm", "could not decode audio"),
        ("empty.wav", "the file is empty"),
        ("video_no_audio.mp4", "the file contains no audio"),
        ("does_not_exist.wav", "could not read the file"),
    ],
)
def test_decode_refuses_unusable_media_with_a_clear_message(audio_dir: Path, name: str, message: str) -> None:
    # when a broken, empty, silent-track or missing file is decoded
    with pytest.raises(MediaError) as raised:
        audio.decode(audio_dir / name)
    # then the error says why, in words a user can act on
    assert str(raised.value).startswith(message)
    assert isinstance(raised.value, ValueError)


def test_decode_refuses_empty_bytes() -> None:
    with pytest.raises(MediaError, match="the file is empty"):
        audio.decode(b"")


def test_probe_describes_audio_and_video_containers(audio_dir: Path) -> None:
    # when an audio-only file, a video with sound and a silent video are probed
    wav = audio.probe(audio_dir / "speech_clean.wav")
    video = audio.probe(audio_dir / "video.mp4")
    mute = audio.probe((audio_dir / "video_no_audio.mp4").read_bytes())
    webm = audio.probe(audio_dir / "speech.webm")
    # then each reports its streams, size and length
    assert (wav.format_name, wav.has_audio, wav.has_video) == ("wav", True, False)
    assert wav.duration_seconds == pytest.approx(22.404, abs=0.01)
    assert (video.has_audio, video.has_video, video.video_width, video.video_height) == (True, True, 64, 48)
    assert (mute.has_audio, mute.has_video) == (False, True)
    assert "webm" in webm.format_name and webm.duration_seconds == pytest.approx(5.33, abs=0.1)


@pytest.mark.parametrize("name", ["corrupt.bin", "truncated.webm", "empty.wav"])
def test_probe_decodes_a_frame_so_garbage_behind_a_valid_header_fails(audio_dir: Path, name: str) -> None:
    # given truncated.webm: a genuine webm header followed by random bytes
    with pytest.raises(MediaError):
        audio.probe(audio_dir / name)


# ---------------------------------------------------------------------------------------------
# Pitch


@pytest.mark.parametrize(
    ("name", "f0"), [("tone_120hz.wav", 120.0), ("tone_220hz_weak_fundamental.wav", 220.0)]
)
def test_pitch_of_tones_is_within_3_percent_without_octave_errors(
    audio_dir: Path, name: str, f0: float
) -> None:
    # given a pure 120 Hz tone, and a 220 Hz tone whose harmonics outweigh its fundamental
    clip = audio.decode(audio_dir / name)
    # when tracked
    track = audio.pitch_track(clip.samples, clip.sample_rate)
    # then nearly every frame is voiced and every voiced frame is within 3% (an octave error is 50-100%)
    assert track.voiced.mean() > 0.9
    assert np.max(np.abs(track.f0_hz[track.voiced] / f0 - 1.0)) < 0.03


def test_pitch_follows_an_exponential_sweep_within_3_percent(
    audio_dir: Path, audio_truth: dict[str, Any]
) -> None:
    # given a 100 -> 400 Hz sweep over 2 s
    sweep = audio_truth["sweep_100_400hz.wav"]
    clip = audio.decode(audio_dir / "sweep_100_400hz.wav")
    # when tracked
    track = audio.pitch_track(clip.samples, clip.sample_rate)
    # then each frame matches the instantaneous frequency
    growth = np.log(sweep["end_hz"] / sweep["start_hz"]) / sweep["seconds"]
    truth = sweep["start_hz"] * np.exp(growth * track.times)
    inside = track.voiced & (track.times > 0.02) & (track.times < sweep["seconds"] - 0.02)
    assert inside.sum() > 0.9 * (sweep["seconds"] / 0.01)
    assert np.max(np.abs(track.f0_hz[inside] / truth[inside] - 1.0)) < 0.03


def praat_f0(clip: Audio, times: np.ndarray) -> np.ndarray:
    sound = parselmouth.Sound(clip.samples.astype(np.float64), sampling_frequency=clip.sample_rate)
    pitch = sound.to_pitch_ac(time_step=0.01, pitch_floor=60.0, pitch_ceiling=500.0)
    values = pitch.selected_array["frequency"]
    nearest = np.clip(np.rint((times - pitch.xs()[0]) / 0.01).astype(int), 0, values.size - 1)
    return np.where(np.abs(pitch.xs()[nearest] - times) < 0.006, values[nearest], 0.0)


@pytest.mark.parametrize("name", ["speech_clean.wav", "speech_fillers.wav"])
def test_pitch_of_speech_agrees_with_praat(audio_dir: Path, name: str) -> None:
    # given synthetic speech, and Praat's autocorrelation pitch of it
    clip = audio.decode(audio_dir / name)
    track = audio.pitch_track(clip.samples, clip.sample_rate)
    praat = praat_f0(clip, track.times)
    both = track.voiced & (praat > 0)
    # then on frames both call voiced the median disagreement is under 5%, and the spread of F0
    # (pitch_variance's definition) is within 25% of Praat's
    relative = np.abs(track.f0_hz[both] / praat[both] - 1.0)
    ours_std, praat_std = float(np.std(track.f0_hz[both])), float(np.std(praat[both]))
    print(
        f"\n{name}: {both.sum()} frames, median |df|/f {np.median(relative):.4f}, "
        f"std {ours_std:.2f} vs Praat {praat_std:.2f} Hz"
    )
    assert both.sum() > 0.5 * (praat > 0).sum()
    assert np.median(relative) < 0.05
    assert ours_std == pytest.approx(praat_std, rel=0.25)


def test_pitch_is_the_same_from_48_khz_input(audio_dir: Path) -> None:
    # given one recording decoded at 16 and at 48 kHz
    low = audio.decode(audio_dir / "speech_clean.wav")
    high = audio.decode(audio_dir / "speech_clean.wav", sample_rate=48000)
    # when tracked
    a = audio.pitch_track(low.samples, low.sample_rate)
    b = audio.pitch_track(high.samples, high.sample_rate)
    # then the voiced frames give the same F0
    n = min(a.voiced.size, b.voiced.size)
    both = a.voiced[:n] & b.voiced[:n]
    assert both.sum() > 0.9 * a.voiced.sum()
    assert np.median(np.abs(a.f0_hz[:n][both] / b.f0_hz[:n][both] - 1.0)) < 0.01


def test_pitch_of_silence_noise_and_nan_is_unvoiced() -> None:
    # given silence, white noise and a signal of NaN with inf scattered through it
    rng = np.random.default_rng(3)
    inputs = [
        np.zeros(16000, np.float32),
        rng.normal(0, 0.1, 16000).astype(np.float32),
        np.full(16000, np.nan),
    ]
    inputs[2][rng.choice(16000, 300, replace=False)] = np.inf
    for samples in inputs:
        # when tracked
        track = audio.pitch_track(samples, 16000)
        # then nothing is voiced, and nothing crashes
        assert track.voiced.sum() < 0.02 * track.voiced.size
        assert np.isnan(track.f0_hz[~track.voiced]).all()


# ---------------------------------------------------------------------------------------------
# Pauses, rate and features


def test_pause_ratio_matches_the_inserted_silences(audio_dir: Path, audio_truth: dict[str, Any]) -> None:
    # given speech built with 0.5, 1.2, 2.0, 0.8 and 1.0 s of inserted silence
    truth = audio_truth["speech_pauses.wav"]
    clip = audio.decode(audio_dir / "speech_pauses.wav")
    # when analysed
    found = audio.pauses(clip)
    result = audio.features(clip)
    # then the ratio is within 0.05 and each inserted silence is found, longest first as built
    print(f"\npause_ratio {result.pause_ratio:.4f} vs truth {truth['pause_ratio']:.4f}")
    assert result.pause_ratio == pytest.approx(truth["pause_ratio"], abs=0.05)
    assert [round(p.duration_seconds, 1) for p in found] == pytest.approx(truth["gaps_seconds"], abs=0.15)
    assert result.longest_pause_seconds == pytest.approx(2.0, abs=0.15)


def test_speech_rate_from_the_transcript_is_within_10_percent(
    audio_dir: Path, audio_truth: dict[str, Any], pauses_transcript: speech.Transcript
) -> None:
    # given the same recording and its transcript
    truth = audio_truth["speech_pauses.wav"]
    clip = audio.decode(audio_dir / "speech_pauses.wav")
    # when features are computed with the transcript
    result = audio.features(clip, pauses_transcript)
    # then words per minute over the whole media is within 10% of words said / duration
    print(f"\nspeech_rate {result.speech_rate:.1f} vs truth {truth['words_per_minute']:.1f} wpm")
    assert result.words_from_transcript
    assert result.speech_rate == pytest.approx(truth["words_per_minute"], rel=0.10)
    assert result.filler_word_ratio == 0.0


def test_speech_rate_without_transcript_is_estimated_from_syllables(
    audio_dir: Path, audio_truth: dict[str, Any]
) -> None:
    # given recordings at about 120 and 165 words a minute and no transcript
    rates = {}
    for name in ("speech_pauses.wav", "speech_clean.wav"):
        clip = audio.decode(audio_dir / name)
        truth = len(audio_truth[name]["text"].split()) / clip.duration_seconds * 60.0
        rates[name] = (audio.features(clip).speech_rate, truth)
    print(f"\nsyllable-based rate vs truth: {rates}")
    # then the syllable estimate lands within 20% and orders them correctly
    for estimate, truth in rates.values():
        assert estimate == pytest.approx(truth, rel=0.20)
    assert rates["speech_pauses.wav"][0] < rates["speech_clean.wav"][0]


def test_features_as_spec_has_exactly_the_specified_keys(
    audio_dir: Path, pauses_transcript: speech.Transcript
) -> None:
    result = audio.features(audio.decode(audio_dir / "speech_pauses.wav"), pauses_transcript)
    spec = result.as_spec()
    assert set(spec) == {"speech_rate", "pause_ratio", "filler_word_ratio", "pitch_variance", "emotion"}
    assert spec["emotion"] in {"confident", "calm", "nervous", "monotone", "energetic", "neutral"}
    assert spec["pitch_variance"] == round(result.pitch_variance, 1)
    assert 60.0 < result.pitch_mean_hz < 200.0 and result.voiced_seconds > 3.0


def test_features_of_silence_are_neutral_and_finite(audio_dir: Path) -> None:
    # given a second of room hiss
    result = audio.features(audio.decode(audio_dir / "silence.wav"))
    # then there is no speech, all silence, and every number is finite
    assert result.as_spec() == {
        "speech_rate": 0.0,
        "pause_ratio": 1.0,
        "filler_word_ratio": 0.0,
        "pitch_variance": 0.0,
        "emotion": "neutral",
    }


def test_features_of_empty_audio_do_not_crash() -> None:
    result = audio.features(Audio(np.zeros(0, np.float32)))
    assert result.speech_rate == 0.0 and result.pause_ratio == 0.0 and result.emotion == "neutral"


@pytest.mark.parametrize(
    ("prosody", "label"),
    [
        ({"filler_word_ratio": 0.12}, "nervous"),
        ({"speech_rate": 185.0, "pause_ratio": 0.35}, "nervous"),
        ({"pitch_variation": 0.05}, "monotone"),
        ({"speech_rate": 165.0, "pitch_variation": 0.25, "loudness_variation_db": 9.0}, "energetic"),
        ({"speech_rate": 115.0, "pause_ratio": 0.25}, "calm"),
        ({}, "confident"),
        ({"speech_seconds": 1.0}, "neutral"),
    ],
)
def test_emotion_follows_the_documented_prosody_rule(prosody: dict[str, float], label: str) -> None:
    # given a steady 140 wpm, few pauses and fillers, some melody, unless the case says otherwise
    values = {
        "speech_seconds": 30.0,
        "voiced_seconds": 15.0,
        "speech_rate": 140.0,
        "pause_ratio": 0.1,
        "filler_word_ratio": 0.01,
        "pitch_variation": 0.15,
        "loudness_variation_db": 5.0,
    } | prosody
    assert audio.emotion_from_prosody(**values) == label


# ---------------------------------------------------------------------------------------------
# Filled pauses from the signal


def held_vowel(seconds: float, f0: float = 110.0, sample_rate: int = 16000) -> np.ndarray:
    """A sustained "uhh": a harmonic-rich voice source with a slow 1% pitch drift and soft edges."""
    t = np.arange(round(seconds * sample_rate)) / sample_rate
    phase = 2 * np.pi * f0 * (t + 0.01 * np.sin(2 * np.pi * 0.7 * t) / (2 * np.pi * 0.7))
    source = sum(np.sin(k * phase) / k for k in range(1, 12))
    edges = np.minimum(1.0, np.minimum(t, t[::-1]) / 0.04)
    return (0.2 * source * edges).astype(np.float32)


def spliced_hesitation(clip: Audio) -> tuple[Audio, float]:
    """`clip` with a 0.5 s "uhh" pasted into the middle of its longest pause, and where it starts."""
    longest = max(audio.pauses(clip), key=lambda p: p.duration_seconds)
    start = round((longest.start + longest.end) / 2 - 0.25, 2)
    samples = clip.samples.copy()
    at = round(start * clip.sample_rate)
    samples[at : at + clip.sample_rate // 2] += held_vowel(0.5, sample_rate=clip.sample_rate)
    return Audio(samples, clip.sample_rate), start


def test_detect_filled_pauses_finds_a_hesitation_between_transcribed_words(
    audio_dir: Path, pauses_transcript: speech.Transcript
) -> None:
    # given filler-free speech with its real transcript, and a held "uhh" pasted into its longest
    # pause where no word is
    clip = audio.decode(audio_dir / "speech_pauses.wav")
    spliced, start = spliced_hesitation(clip)
    words = pauses_transcript.words
    # when searched
    found = audio.detect_filled_pauses(spliced, words)
    # then exactly that half second comes back, and nothing at all without the pasted sound
    assert len(found) == 1
    assert found[0].start == pytest.approx(start, abs=0.08)
    assert found[0].end == pytest.approx(start + 0.5, abs=0.08)
    assert audio.detect_filled_pauses(clip, words) == []


def test_detect_filled_pauses_leaves_out_time_a_word_accounts_for(
    audio_dir: Path, pauses_transcript: speech.Transcript
) -> None:
    # given the same hesitation, once transcribed as "Umm," and once heard as an ordinary word
    spliced, start = spliced_hesitation(audio.decode(audio_dir / "speech_pauses.wav"))
    words = list(pauses_transcript.words)
    transcribed = sorted([*words, speech.Word(start, start + 0.5, "Umm,", 0.6)], key=lambda w: w.start)
    spoken = sorted([*words, speech.Word(start - 0.05, start + 0.55, "really", 0.9)], key=lambda w: w.start)
    # then neither is reported as a lost hesitation
    assert audio.detect_filled_pauses(spliced, transcribed) == []
    assert audio.detect_filled_pauses(spliced, spoken) == []


def test_detect_filled_pauses_looks_inside_a_word_whisper_stretched(
    audio_dir: Path, pauses_transcript: speech.Transcript
) -> None:
    # given the hesitation, and the word after the pause stretched back over all of it, as Whisper's
    # alignment does when it has no token for the sound
    spliced, start = spliced_hesitation(audio.decode(audio_dir / "speech_pauses.wav"))
    words = list(pauses_transcript.words)
    after = next(i for i, w in enumerate(words) if w.start > start)
    gap_start = words[after - 1].end
    words[after] = speech.Word(gap_start, words[after].end, words[after].text, words[after].probability)
    # then the held sound is still found
    found = audio.detect_filled_pauses(spliced, words)
    assert [round(p.start, 1) for p in found] == [round(start, 1)]


# ---------------------------------------------------------------------------------------------
# Streaming


def test_streaming_silence_and_hiss_are_not_speech(audio_dir: Path) -> None:
    # given digital silence, then room hiss switching on, then a loud mains hum: none of it a voice
    analyzer = StreamingAnalyzer(48000)
    hiss = np.random.default_rng(0).normal(0, 0.01, 48000 * 3).astype(np.float32)
    hum = (0.3 * np.sin(2 * np.pi * 50 * np.arange(48000 * 3) / 48000)).astype(np.float32)
    metrics = feed_all(analyzer, np.concatenate((np.zeros(48000 * 3, np.float32), hiss, hum)))
    # then only the second after each switch-on can read as speech, and nothing is nudged
    switch_ons = (35, 70)  # frames of 4096 samples at 3 s and 6 s
    speaking = [i for i, m in enumerate(metrics) if m.is_speaking]
    assert all(any(0 <= i - on < 12 for on in switch_ons) for i in speaking)
    assert all(m.nudge is None for m in metrics)
    assert metrics[0].as_dict() == {"volume": 0.0, "is_speaking": False, "nudge": None}


def test_streaming_speech_is_detected_with_volume_as_frame_rms(audio_dir: Path) -> None:
    # given normal speech at 48 kHz, fed in the 4096-sample frames a browser sends
    clip = audio.decode(audio_dir / "speech_clean.wav", sample_rate=48000)
    analyzer = StreamingAnalyzer(48000)
    metrics = feed_all(analyzer, clip.samples)
    # then it is speech nearly throughout, volume is each frame's RMS, and no nudge fires
    assert np.mean([m.is_speaking for m in metrics]) > 0.9
    third = clip.samples[4096 * 3 : 4096 * 4]
    assert metrics[3].volume == pytest.approx(
        float(np.sqrt(np.mean(third.astype(np.float64) ** 2))), rel=1e-4
    )
    assert [m.nudge for m in metrics if m.nudge] == []


def test_streaming_quiet_speech_asks_to_speak_up_and_is_throttled(audio_dir: Path) -> None:
    # given the same speech 30 dB down (about 0.005 RMS), for 45 s
    clip = audio.decode(audio_dir / "speech_clean.wav", sample_rate=48000)
    quiet = np.concatenate([clip.samples * 0.03] * 2)
    metrics = feed_all(StreamingAnalyzer(48000), quiet)
    # then it is still recognised as speech, the spec's nudge comes within 3 s, and again only
    # after 20 s
    sent = nudges(metrics, 4096, 48000)
    assert np.mean([m.is_speaking for m in metrics]) > 0.9
    assert [text for _, text in sent] == ["Speak up a bit?"] * len(sent)
    assert sent[0][0] < 3.0
    assert len(sent) == 3 and all(b[0] - a[0] > 19.9 for a, b in zip(sent, sent[1:], strict=False))
    assert metrics[[i for i, m in enumerate(metrics) if m.nudge][0]].as_dict()["nudge"] == "Speak up a bit?"


def test_streaming_long_silence_after_speaking_is_nudged_once(audio_dir: Path) -> None:
    # given 5 s of speech and then 30 s of silence
    clip = audio.decode(audio_dir / "speech_clean.wav")
    stream = np.concatenate((clip.samples[: 5 * 16000], np.zeros(30 * 16000, np.float32)))
    metrics = feed_all(StreamingAnalyzer(16000), stream, frame=1600)
    # then one nudge, about 8 s after the last word
    sent = nudges(metrics, 1600, 16000)
    assert [text for _, text in sent] == [audio.NUDGE_LONG_SILENCE]
    assert 12.5 < sent[0][0] < 14.0
    # and silence before anyone spoke is never nudged
    assert (
        nudges(feed_all(StreamingAnalyzer(16000), np.zeros(30 * 16000, np.float32), 1600), 1600, 16000) == []
    )


def test_streaming_monologue_is_nudged_after_90_seconds(audio_dir: Path) -> None:
    # given 112 s of continuous speech whose pauses are all under a second
    clip = audio.decode(audio_dir / "speech_clean.wav")
    stream = np.concatenate([clip.samples] * 5)
    metrics = feed_all(StreamingAnalyzer(16000), stream)
    # then the monologue nudge comes once, just after 90 s
    sent = nudges(metrics, 4096, 16000)
    assert [text for _, text in sent] == [audio.NUDGE_MONOLOGUE]
    assert 89.5 < sent[0][0] < 92.0


def test_streaming_monologue_clock_restarts_after_a_real_pause(audio_dir: Path) -> None:
    clip = audio.decode(audio_dir / "speech_clean.wav")
    pause = np.zeros(2 * 16000, np.float32)
    stream = np.concatenate([clip.samples, clip.samples, pause, clip.samples, clip.samples, pause])
    assert nudges(feed_all(StreamingAnalyzer(16000), stream), 4096, 16000) == []


def test_streaming_fast_speech_is_asked_to_slow_down(audio_dir: Path) -> None:
    # given speech at about 380 words a minute, then at an ordinary 165
    fast = audio.decode(audio_dir / "speech_fast.wav", sample_rate=48000).samples
    normal = audio.decode(audio_dir / "speech_clean.wav", sample_rate=48000).samples
    fast_analyzer, normal_analyzer = StreamingAnalyzer(48000), StreamingAnalyzer(48000)
    fast_metrics = feed_all(fast_analyzer, np.concatenate([fast] * 3))
    normal_metrics = feed_all(normal_analyzer, normal)
    # then only the fast one is nudged, once its 3 s of evidence are in
    assert [text for _, text in nudges(fast_metrics, 4096, 48000)] == [audio.NUDGE_TOO_FAST]
    assert nudges(normal_metrics, 4096, 48000) == []
    assert (fast_analyzer.syllables_per_second() or 0) > 6.0
    assert 3.0 < (normal_analyzer.syllables_per_second() or 0) < 5.5


@pytest.mark.parametrize("frame", [1, 7, 333, 4095, 4096, 48000 * 5])
def test_streaming_any_frame_size_gives_the_same_decisions(audio_dir: Path, frame: int) -> None:
    # given the quiet-speech stream cut into odd, tiny and huge frames
    clip = audio.decode(audio_dir / "speech_clean.wav", sample_rate=48000)
    quiet = clip.samples[: 48000 * 6] * 0.03
    analyzer = StreamingAnalyzer(48000)
    metrics = feed_all(analyzer, quiet, frame)
    # then the same audio time has passed and the same nudge fired
    assert analyzer.seconds_fed == pytest.approx(6.0, abs=1e-6)
    assert [m.nudge for m in metrics if m.nudge] == ["Speak up a bit?"]
    assert any(m.is_speaking for m in metrics)


def test_streaming_survives_nan_inf_empty_and_integer_frames() -> None:
    analyzer = StreamingAnalyzer(48000)
    broken = np.full(4096, np.nan, np.float32)
    broken[::3] = np.inf
    for frame in (
        broken,
        np.zeros(0, np.float32),
        np.full(4096, -np.inf),
        (np.ones(4096) * 20000).astype(np.int16),
    ):
        metrics = analyzer.feed(frame)
        assert 0.0 <= metrics.volume <= 1.0 and np.isfinite(metrics.volume)
    assert analyzer.feed(np.full(4096, 5.0, np.float32)).volume == pytest.approx(1.0)


def test_decoding_stops_at_the_cap_of_an_hour_long_file_packed_small(audio_dir: Path) -> None:
    # given an hour of Opus in 1.4 MB (it would decode to 230 MB of 16 kHz samples)
    hour = audio_dir / "hour_of_silence.ogg"
    # then probing reads its real length from the packets, and decoding stops past the cap
    assert audio.probe(hour).duration_seconds == pytest.approx(3600.0, abs=1.0)
    with pytest.raises(audio.MediaTooLong, match="longer than 10 minutes"):
        audio.decode(hour, max_seconds=600)


def test_a_recording_under_the_cap_decodes_whole(audio_dir: Path) -> None:
    clip = audio.decode(audio_dir / "speech.webm", max_seconds=600)
    assert clip.duration_seconds == pytest.approx(audio.decode(audio_dir / "speech.webm").duration_seconds)
