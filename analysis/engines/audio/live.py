"""Live audio: `StreamingAnalyzer`, one per socket, turns frames of samples into `LiveMetrics`
(volume, whether the person is speaking, and at most one coaching nudge), using the same speech
definitions as the whole-media analysis, adapted to 10 ms blocks that arrive as they are said.
"""

from __future__ import annotations

import functools
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from analysis.engines.audio.activity import ABSOLUTE_SPEECH_DB, FLOOR_MARGIN_DB
from analysis.engines.audio.decoding import _clean

__all__ = [
    "NUDGE_LONG_SILENCE",
    "NUDGE_MONOLOGUE",
    "NUDGE_TOO_FAST",
    "NUDGE_TOO_QUIET",
    "LiveMetrics",
    "StreamingAnalyzer",
]


NUDGE_TOO_QUIET = "Speak up a bit?"
NUDGE_TOO_FAST = "Slow down a little?"
NUDGE_MONOLOGUE = "Wrap up this point?"
NUDGE_LONG_SILENCE = "Still there? Think out loud."

LIVE_BLOCK_SECONDS = 0.01
LIVE_HANGOVER_SECONDS = 0.3  # speech stays "on" this long after the last loud block, across word gaps
LIVE_ONSET_BLOCKS = 2  # a lone 10 ms click does not start speech
LIVE_FLOOR_SECONDS = 3.0  # the noise floor is the quietest 10 ms block of the last 3 s
# Syllables make the 10 ms energy swing by well over 6 dB within half a second; a fan, hiss or hum
# that switches on does not, so it is not taken for speech while the floor catches up with it.
LIVE_MODULATION_SECONDS = 0.5
LIVE_MODULATION_DB = 6.0
LIVE_QUIET_RMS = 0.02  # about -34 dBFS of speech: a laptop microphone at arm's length is 0.05-0.2
LIVE_QUIET_WINDOW_SECONDS = 2.0  # judged on the last 2 s of speech, not on one soft word
LIVE_SILENCE_SECONDS = 8.0
LIVE_MONOLOGUE_SECONDS = 90.0
LIVE_MONOLOGUE_BREAK_SECONDS = 1.0  # a pause this long ends a monologue
LIVE_RATE_WINDOW_SECONDS = 6.0
LIVE_RATE_MIN_SPEECH_SECONDS = 3.0
LIVE_FAST_SYLLABLES_PER_SECOND = 5.5
LIVE_PEAK_HYSTERESIS_DB = 3.0
LIVE_THROTTLE_SECONDS = 20.0


@dataclass(frozen=True)
class LiveMetrics:
    """What the live socket sends for each audio frame: `volume` is the frame's RMS (0..1)."""

    volume: float
    is_speaking: bool
    nudge: str | None = None

    def as_dict(self) -> dict[str, float | bool | str | None]:
        return {"volume": round(self.volume, 4), "is_speaking": self.is_speaking, "nudge": self.nudge}


# Quiet-speech test on a running sum of the speech-power ring, with a margin far wider than the
# sum's rounding drift: only a mean this close to the threshold is recomputed exactly (as before).
_QUIET_POWER = LIVE_QUIET_RMS * LIVE_QUIET_RMS
_QUIET_POWER_SURELY_BELOW = _QUIET_POWER * (1.0 - 1e-6)
_QUIET_POWER_SURELY_ABOVE = _QUIET_POWER * (1.0 + 1e-6)
_CACHED_WINDOW_BLOCKS = 64  # frames up to this many blocks reuse their reduceat indices


def _trailing_window_bounds(n_windows: int, width: int) -> np.ndarray:
    """`reduceat` indices for the `n_windows` windows of `width` values over width - 1 + n values.

    Window k is values[k : k + width]. Starts and ends interleave, so the even results are the
    windows and the odd ones (a lone value between an end and the next start) are dropped; the last
    window has no end index because reduceat runs the last index to the end of the array.
    """
    bounds = np.empty(2 * n_windows - 1, np.intp)
    bounds[0::2] = np.arange(n_windows)
    bounds[1::2] = np.arange(n_windows - 1) + width
    bounds.flags.writeable = False
    return bounds


_cached_window_bounds = functools.lru_cache(maxsize=32)(_trailing_window_bounds)


def _squares(frame: np.ndarray) -> tuple[np.ndarray, float]:
    """Squared samples (float64) of a frame cleaned as `_clean` does it, and their sum."""
    samples = np.asarray(frame)
    if samples.dtype.kind == "f":
        # _clean without its NaN pass, which costs more than all the rest: clipping maps +-inf to
        # +-1 just as nan_to_num would, and a NaN, which clipping keeps, shows in the sum.
        samples = np.clip(samples.astype(np.float32, copy=False).reshape(-1), -1.0, 1.0)
        squares = np.square(samples, dtype=np.float64)
        total = float(np.add.reduce(squares))
        if not math.isnan(total):
            return squares, total
    squares = np.square(_clean(frame), dtype=np.float64)
    return squares, float(np.add.reduce(squares))


class StreamingAnalyzer:
    """Per-connection voice activity, loudness, speaking rate and coaching nudges for live audio.

    Feed float samples in frames of any size. Audio is analysed in 10 ms blocks and time advances
    with the audio fed, not the wall clock, so a replayed stream nudges exactly as it did live and
    a client that stalls does not age the state. `clock` is kept for callers that want to stamp
    results in wall time; the analysis itself never reads it.

    Nudges, each at most once per 20 s of audio (one per frame, the first that fires):
    - "Speak up a bit?": speaking, and the last 2 s of speech average under 0.02 RMS.
    - "Slow down a little?": more than 5.5 energy peaks (syllable nuclei) per second of speech
      over the last 6 s, with at least 3 s of speech in it (about 190 words a minute and up).
    - "Wrap up this point?": 90 s of speech without a pause of 1 s, once per such stretch.
    - "Still there? Think out loud.": 8 s of silence after having spoken, once per silence.

    Cost: one analyser per live socket, fed every ~85 ms, so `feed` handles all of a frame's blocks
    at once. Block energies, levels and the 0.5 s modulation swing are numpy over the whole frame;
    what remains is one loop over block-level scalars for the state that depends on the previous
    block (noise-floor minimum, onset and hangover, envelope peaks, the rings and the nudges). The
    decisions are the same, block for block, as analysing each block on its own.
    """

    def __init__(self, sample_rate: int = 48000, *, clock: Callable[[], float] = time.monotonic) -> None:
        if sample_rate <= 0:
            raise ValueError("sample_rate must be positive")
        self.sample_rate = sample_rate
        self.clock = clock
        self._block = max(1, round(LIVE_BLOCK_SECONDS * sample_rate))
        self._block_seconds = self._block / sample_rate
        # Squared samples (float64) of the incomplete block carried over to the next frame.
        self._pending = np.zeros(0, np.float64)
        self._now = 0.0
        # Noise floor: minima of 100 ms stretches over the last 3 s.
        self._stretch_blocks = max(1, round(0.1 / self._block_seconds))
        self._stretch_min = math.inf
        self._stretch_count = 0
        self._stretch_minima: deque[float] = deque(maxlen=round(LIVE_FLOOR_SECONDS / 0.1))
        self._older_floor = math.inf
        # Modulation: the levels of the last `_modulation_blocks - 1` blocks, which with the current
        # one make the 0.5 s window (empty until the first block arrives).
        self._modulation_blocks = max(2, round(LIVE_MODULATION_SECONDS / self._block_seconds))
        self._recent_levels = np.zeros(0, np.float64)
        # Voice activity.
        self._onset_run = 0
        self._last_voice = -math.inf
        self._speaking = False
        self._has_spoken = False
        self._run_start: float | None = None
        self._monologue_nudged = False
        self._silence_nudged = False
        # Loudness of recent speech: a ring of block powers taken only while speaking, and its running
        # sum (summed afresh each time the ring wraps, so rounding drift cannot build up).
        self._speech_power = [0.0] * max(1, round(LIVE_QUIET_WINDOW_SECONDS / self._block_seconds))
        self._speech_power_count = 0
        self._speech_power_index = 0
        self._speech_power_sum = 0.0
        # Syllable-rate estimate: envelope peaks and speaking time over a sliding window.
        self._envelope: float | None = None
        self._rising = True
        self._extreme = -math.inf
        self._peaks: deque[float] = deque()
        self._speaking_flags = bytearray(max(1, round(LIVE_RATE_WINDOW_SECONDS / self._block_seconds)))
        self._speaking_flag_index = 0
        self._speaking_in_window = 0
        self._last_sent: dict[str, float] = {}

    @property
    def seconds_fed(self) -> float:
        return self._now + self._pending.size / self.sample_rate

    def feed(self, frame: np.ndarray) -> LiveMetrics:
        squares, total = _squares(frame)
        # sum / n is exactly what np.mean does, without its Python-level overhead.
        volume = math.sqrt(total / squares.size) if squares.size else 0.0
        data = np.concatenate((self._pending, squares)) if self._pending.size else squares
        n_blocks = data.size // self._block
        self._pending = data[n_blocks * self._block :].copy()
        spoke = False
        nudge: str | None = None
        if n_blocks:
            powers = np.add.reduce(data[: n_blocks * self._block].reshape(n_blocks, self._block), axis=1)
            powers /= self._block
            levels = 10.0 * np.log10(np.maximum(powers, 1e-10))
            swinging = self._modulated(levels)
            spoke, nudge = self._advance(powers.tolist(), levels.tolist(), swinging.tolist())
        return LiveMetrics(volume=min(volume, 1.0), is_speaking=spoke or self._speaking, nudge=nudge)

    def _modulated(self, levels: np.ndarray) -> np.ndarray:
        """Per block: did the 10 ms level swing by 6 dB or more over the last 0.5 s (this block included)?

        Syllables make the level swing like this; a fan, hiss or hum that switches on does not, so
        it is not taken for speech while the floor catches up with it.
        """
        width = self._modulation_blocks
        history = self._recent_levels
        if history.size == 0:
            # Before the window has filled it holds every block so far; padding with the very first
            # level, which all of those windows contain, leaves their maxima and minima unchanged.
            history = np.full(width - 1, levels[0])
        values = np.concatenate((history, levels))
        n_blocks = levels.size
        if n_blocks <= _CACHED_WINDOW_BLOCKS:
            bounds = _cached_window_bounds(n_blocks, width)
        else:
            bounds = _trailing_window_bounds(n_blocks, width)
        swing = np.maximum.reduceat(values, bounds) - np.minimum.reduceat(values, bounds)
        self._recent_levels = values[n_blocks:]
        return swing[::2] >= LIVE_MODULATION_DB

    def _advance(
        self, powers: list[float], levels: list[float], swinging: list[bool]
    ) -> tuple[bool, str | None]:
        """Step the block-to-block state through a frame's blocks; returns (spoke, the first nudge).

        Each of these depends on the previous block, so they are a loop, but over plain floats in
        locals: attribute access, method calls and numpy scalars are what made a block expensive.
        """
        block_seconds = self._block_seconds
        stretch_blocks = self._stretch_blocks
        stretch_minima = self._stretch_minima
        speech_power = self._speech_power
        power_size = len(speech_power)
        power_needed = 0.75 * power_size
        peaks = self._peaks
        speaking_flags = self._speaking_flags
        flag_size = len(speaking_flags)
        last_sent = self._last_sent

        now = self._now
        stretch_min, stretch_count, older_floor = self._stretch_min, self._stretch_count, self._older_floor
        onset_run, last_voice, run_start = self._onset_run, self._last_voice, self._run_start
        speaking, has_spoken = self._speaking, self._has_spoken
        monologue_nudged, silence_nudged = self._monologue_nudged, self._silence_nudged
        power_count, power_index = self._speech_power_count, self._speech_power_index
        power_sum = self._speech_power_sum
        envelope, rising, extreme = self._envelope, self._rising, self._extreme
        flag_index, in_window = self._speaking_flag_index, self._speaking_in_window

        spoke = False
        nudge: str | None = None
        for power, level, swings in zip(powers, levels, swinging, strict=True):
            now += block_seconds
            # Noise floor: the quietest block of the completed 100 ms stretches and the current one.
            if level < stretch_min:
                stretch_min = level
            stretch_count += 1
            if stretch_count >= stretch_blocks:
                stretch_minima.append(stretch_min)
                older_floor = min(stretch_minima)
                stretch_min, stretch_count = math.inf, 0
            floor = stretch_min if stretch_min < older_floor else older_floor
            floor_margin = floor + FLOOR_MARGIN_DB

            # Voice activity: loud (over the floor and modulated) for two blocks starts speech, any
            # loud block continues it, and it stays on through the hangover.
            if swings and level > (floor_margin if floor_margin > ABSOLUTE_SPEECH_DB else ABSOLUTE_SPEECH_DB):
                onset_run += 1
                voiced = speaking or onset_run >= LIVE_ONSET_BLOCKS
            else:
                onset_run = 0
                voiced = False
            if voiced:
                if now - last_voice > LIVE_MONOLOGUE_BREAK_SECONDS or run_start is None:
                    run_start = now
                    monologue_nudged = False
                last_voice = now
                speaking = has_spoken = True
                silence_nudged = False
                # Only sounding blocks: the hangover's silence would make any choppy speaker "quiet".
                power_sum += power - speech_power[power_index]
                speech_power[power_index] = power
                power_index += 1
                if power_index == power_size:
                    power_index = 0
                    power_sum = sum(speech_power)
                if power_count < power_size:
                    power_count += 1
            elif speaking and now - last_voice > LIVE_HANGOVER_SECONDS:
                speaking = False
            if run_start is not None and now - last_voice > LIVE_MONOLOGUE_BREAK_SECONDS:
                run_start = None

            # Syllable nuclei: peaks of the envelope with 3 dB of hysteresis. A light smoothing
            # (about 20 ms) keeps pitch-period ripple from reading as syllables.
            envelope = level if envelope is None else 0.5 * envelope + 0.5 * level
            if rising:
                if envelope > extreme:
                    extreme = envelope
                elif envelope < extreme - LIVE_PEAK_HYSTERESIS_DB:
                    if speaking and extreme > floor_margin:
                        peaks.append(now)
                    rising, extreme = False, envelope
            elif envelope < extreme:
                extreme = envelope
            elif envelope > extreme + LIVE_PEAK_HYSTERESIS_DB:
                rising, extreme = True, envelope
            horizon = now - LIVE_RATE_WINDOW_SECONDS
            while peaks and peaks[0] < horizon:
                peaks.popleft()

            in_window += speaking - speaking_flags[flag_index]
            speaking_flags[flag_index] = speaking
            flag_index += 1
            if flag_index == flag_size:
                flag_index = 0
            spoke |= speaking

            if nudge is not None:
                continue
            # The nudges, in the order of the class docstring; the first that fires is the frame's.
            if speaking:
                if (
                    power_count >= power_needed
                    and now - last_sent.get(NUDGE_TOO_QUIET, -math.inf) >= LIVE_THROTTLE_SECONDS
                    and self._quiet(power_sum / power_count, power_count)
                ):
                    nudge = NUDGE_TOO_QUIET
                else:
                    speech_seconds = in_window * block_seconds
                    if (
                        speech_seconds >= LIVE_RATE_MIN_SPEECH_SECONDS
                        and len(peaks) / speech_seconds > LIVE_FAST_SYLLABLES_PER_SECOND
                        and now - last_sent.get(NUDGE_TOO_FAST, -math.inf) >= LIVE_THROTTLE_SECONDS
                    ):
                        nudge = NUDGE_TOO_FAST
                    elif (
                        run_start is not None
                        and not monologue_nudged
                        and now - run_start > LIVE_MONOLOGUE_SECONDS
                        and now - last_sent.get(NUDGE_MONOLOGUE, -math.inf) >= LIVE_THROTTLE_SECONDS
                    ):
                        monologue_nudged = True
                        nudge = NUDGE_MONOLOGUE
            elif (
                has_spoken
                and not silence_nudged
                and now - last_voice > LIVE_SILENCE_SECONDS
                and now - last_sent.get(NUDGE_LONG_SILENCE, -math.inf) >= LIVE_THROTTLE_SECONDS
            ):
                silence_nudged = True
                nudge = NUDGE_LONG_SILENCE
            if nudge is not None:
                last_sent[nudge] = now

        self._now = now
        self._stretch_min, self._stretch_count, self._older_floor = stretch_min, stretch_count, older_floor
        self._onset_run, self._last_voice, self._run_start = onset_run, last_voice, run_start
        self._speaking, self._has_spoken = speaking, has_spoken
        self._monologue_nudged, self._silence_nudged = monologue_nudged, silence_nudged
        self._speech_power_count, self._speech_power_index = power_count, power_index
        self._speech_power_sum = power_sum
        self._envelope, self._rising, self._extreme = envelope, rising, extreme
        self._speaking_flag_index, self._speaking_in_window = flag_index, in_window
        return spoke, nudge

    def _quiet(self, approximate_mean_power: float, count: int) -> bool:
        """Do the last 2 s of speech average under 0.02 RMS? `count` blocks of the ring are filled."""
        if approximate_mean_power < _QUIET_POWER_SURELY_BELOW:
            return True
        if approximate_mean_power > _QUIET_POWER_SURELY_ABOVE:
            return False
        return self._speech_rms(count) < LIVE_QUIET_RMS

    def _speech_rms(self, count: int) -> float:
        return math.sqrt(float(np.mean(self._speech_power[:count])))

    def syllables_per_second(self) -> float | None:
        """Energy peaks per second of speech over the last 6 s, once there are 3 s of speech."""
        speaking = self._speaking_in_window * self._block_seconds
        if speaking < LIVE_RATE_MIN_SPEECH_SECONDS:
            return None
        return len(self._peaks) / speaking
