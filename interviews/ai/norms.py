"""The delivery norms practice feedback judges against. Clients and the README quote these.

Pace: conversational English runs at about 120-160 words per minute (speech coaching sources put
presentations at 140-160 and careful explanations at 120-140). Interview answers are judged
comfortable in 120-165 wpm; above 170 listeners start to miss content (the audio engine also
labels > 170 wpm with broken-up speech "nervous"); under 110 sounds hesitant or reading-paced.

Fillers: fillers / words (um, uh, filler "like", "you know", "I mean"; hesitations Whisper did not
write but the audio shows are counted too). Up to 3 % (about one in 30 words) goes unnoticed;
3-6 % is noticeable; over 6 % distracts (the audio engine labels >= 8 % "nervous").

Pauses: pause_ratio = silent time / total time. 0.08-0.30 gives the listener room; under 0.05
means no breathing room; over 0.35, or a single silence over 3 s mid-answer, reads as losing the
thread.

Length: a STAR answer (behavioural, situational) needs about 1-2 minutes, 150-300 words; a
technical or design answer 80-300 words; a motivation answer 60-200. Under the minimum the
answer misses parts; over the maximum it rambles.

On camera: eye contact (frames looking at the camera) 0.6 and up reads as engaged, under 0.4 as
evasive; some smiling (0.1-0.7 of face frames) reads as warm; posture 0.6 and up as steady.
"""

from __future__ import annotations

PACE_SLOW_WPM = 110.0
PACE_COMFORTABLE_WPM = (120.0, 165.0)
PACE_FAST_WPM = 170.0

FILLER_UNNOTICED = 0.03
FILLER_DISTRACTING = 0.06

PAUSE_RATIO_LOW = 0.05
PAUSE_RATIO_HEALTHY = (0.08, 0.30)
PAUSE_RATIO_HIGH = 0.35
LONG_PAUSE_SECONDS = 3.0

# (minimum, maximum) words of a complete answer, by question type.
ANSWER_WORDS = {
    "behavioral": (150, 300),
    "situational": (120, 300),
    "technical": (80, 300),
    "system_design": (120, 400),
    "culture_fit": (60, 200),
}
DEFAULT_ANSWER_WORDS = (80, 300)

EYE_CONTACT_GOOD = 0.6
SMILE_RANGE = (0.1, 0.7)
POSTURE_GOOD = 0.6

# An answer scoring this much (0-10) earns a harder next question; under WEAK, an easier or
# different one.
SCORE_STRONG = 7.0
SCORE_WEAK = 4.5


def answer_words(question_type: str | None) -> tuple[int, int]:
    return ANSWER_WORDS.get(question_type or "", DEFAULT_ANSWER_WORDS)
