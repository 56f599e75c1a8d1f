"""Report feedback (`practice_feedback`): what to keep and what to change in one recorded answer.

Every point about words quotes the transcript: STAR structure (the sentences that set the
situation, act, and conclude), concrete results (the numbers stated, or the outcome that lacks
one), key points of the question, fillers (the densest sentence), pace (the fastest or slowest
sentence, from word timestamps), pauses (the words either side of the longest silence) and
length. Points about the camera (eye contact, smile, posture) and tone quote nothing. The norms
are in `interviews.ai.norms`.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Literal

from pydantic import BaseModel, Field

from analysis.engines import text
from analysis.engines.llm import Task, TaskOutput, register
from interviews.ai import norms
from interviews.ai.language import KeyPoint, closest_sentence, quote

TASK = "practice_feedback"

Category = Literal[
    "structure", "results", "content", "fillers", "pace", "pauses", "length", "presence", "tone"
]


class FeedbackPoint(BaseModel):
    category: Category
    kind: Literal["strength", "improvement"]
    message: str
    quote: str = Field(
        description="the transcript passage this point is about, verbatim; empty for camera/tone"
    )


class PracticeFeedback(TaskOutput):
    feedback: str = Field(
        description="the whole feedback as prose, strengths first, each point quoting the answer"
    )
    points: list[FeedbackPoint]


# Words the speech model gave less than this probability are marked "(?)" where feedback quotes
# them: tiny.en heard "led" as "learned" (0.29) and "billing" as "building" (0.46), and quoting a
# mis-heard word back as if the candidate said it misleads them.
LOW_CONFIDENCE = 0.5


class Quoter:
    """Quotes transcript sentences with the words the speech model was unsure of marked."""

    def __init__(self, segments: list[dict[str, Any]]) -> None:
        self._words: dict[str, list[tuple[str, float]]] = {}
        for segment in segments:
            words = [
                (str(w.get("text", "")).strip(), float(w.get("probability", 1.0)))
                for w in segment.get("words") or []
            ]
            if words:
                self._words[" ".join(str(segment.get("text", "")).split())] = words

    def marked(self, sentence: str) -> str:
        words = self._words.get(" ".join(sentence.split()))
        if not words:
            return sentence
        return " ".join(
            f"{text} (?)" if p < LOW_CONFIDENCE and text.strip(".,;:!?") else text for text, p in words
        )

    def __call__(self, sentence: str, limit: int = 160) -> str:
        return quote(self.marked(sentence), limit)

    def uncertain(self, sentence: str) -> int:
        """How many words of the sentence the model was unsure of."""
        return sum(p < LOW_CONFIDENCE for _, p in self._words.get(" ".join(sentence.split()), []))


def _sentences(inputs: dict[str, Any], transcript: str) -> list[dict[str, Any]]:
    """Sentences with their timing when the transcript has segments, else text-only."""
    segments = [s for s in inputs.get("segments") or [] if str(s.get("text", "")).strip()]
    if segments:
        return [
            {
                "text": str(s["text"]).strip(),
                "start": float(s["start"]),
                "end": float(s["end"]),
                "words": len(s.get("words") or []) or text.word_count(str(s["text"])),
            }
            for s in segments
        ]
    return [
        {"text": s, "start": None, "end": None, "words": text.word_count(s)}
        for s in text.sentences(transcript)
    ]


def _structure_points(
    transcript: str, sentences: list[str], question_type: str | None, q: Quoter
) -> list[FeedbackPoint]:
    if question_type not in (None, "behavioral", "situational"):
        return []
    star = text.star_structure(transcript)
    points: list[FeedbackPoint] = []
    labels = {"situation": "Situation", "task": "Task", "action": "Action", "result": "Result"}
    present = [name for name in labels if getattr(star, name)]
    if present:
        carriers = star.evidence.get("action") or star.evidence.get(present[0]) or sentences[:1]
        points.append(
            FeedbackPoint(
                category="structure",
                kind="strength",
                message=f"STAR structure: you covered {', '.join(labels[n] for n in present)}, "
                f'e.g. "{q(carriers[0])}".',
                quote=q(carriers[0]),
            )
        )
    team_sentence = next((s for s in sentences if re.search(r"\bwe\b", s, re.IGNORECASE)), None)
    for name in labels:
        if getattr(star, name):
            continue
        if name == "situation":
            anchor = sentences[0]
            advice = (
                f'You opened with "{q(anchor)}". Open with the context in one sentence: where you were, '
                "the team, what was at stake."
            )
        elif name == "task":
            anchor = sentences[min(1, len(sentences) - 1)]
            advice = (
                f'By "{q(anchor)}" the listener still does not know your responsibility. Say what you '
                'were asked to achieve ("My job was to ...") before what you did.'
            )
        elif name == "action":
            anchor = team_sentence or sentences[min(1, len(sentences) - 1)]
            advice = (
                f'"{q(anchor)}" tells what happened, not what you did. Describe your own actions in the '
                'first person ("I built", "I proposed").'
            )
        else:
            anchor = sentences[-1]
            advice = f'You ended on "{q(anchor)}". End with the outcome and what changed because of you.'
        points.append(
            FeedbackPoint(
                category="structure",
                kind="improvement",
                message=f"STAR structure: no clear {labels[name]}. {advice}",
                quote=q(anchor),
            )
        )
    return points


def _results_points(
    transcript: str, sentences: list[str], question_type: str | None, q: Quoter
) -> list[FeedbackPoint]:
    star = text.star_structure(transcript)
    quantities = [q for q in text.numbers(transcript) if q.unit != "calendar_year"]
    for sentence in star.evidence.get("result", []):
        stated = [q for q in text.numbers(sentence) if q.unit != "calendar_year"]
        if stated:
            return [
                FeedbackPoint(
                    category="results",
                    kind="strength",
                    message=f"Concrete result: you put a number on the outcome ({', '.join(q.text for q in stated)}) "
                    f'in "{q(sentence)}".',
                    quote=q(sentence),
                )
            ]
    if question_type not in (None, "behavioral", "situational"):
        return []
    outcome = (star.evidence.get("result") or sentences[-1:] or [""])[-1]
    mention = (
        f" You mention {', '.join(q.text for q in quantities[:2])}, but not as an outcome."
        if quantities
        else ""
    )
    return [
        FeedbackPoint(
            category="results",
            kind="improvement",
            message=f'Concrete results: the outcome "{q(outcome)}" has no number.{mention} Say by how much, '
            'how fast or for how many (e.g. "cut response time by 40%", "saved two days a release").',
            quote=q(outcome),
        )
    ]


# An answer covering none of its question's key points and sharing this little vocabulary with
# the question (cosine of stemmed content words) answers something else: a STAR story about a
# team given to "What is the GIL?" reaches about 0.05.
OFF_TOPIC_SIMILARITY = 0.12


def is_off_topic(transcript: str, question: dict[str, Any], answer_score: dict[str, Any]) -> bool:
    checks = answer_score.get("key_points", [])
    if not checks or any(c.get("covered") for c in checks):
        return False
    reference = " ".join(
        [str(question.get("content", "")), *(KeyPoint.parse(c.get("point", "")).name for c in checks)]
    )
    return text.similarity(reference, transcript) < OFF_TOPIC_SIMILARITY


def _content_points(
    answer_score: dict[str, Any],
    question: dict[str, Any] | None,
    sentences: list[str],
    transcript: str,
    q: Quoter,
) -> list[FeedbackPoint]:
    if not question:
        return []
    checks = answer_score.get("key_points", [])
    names = [KeyPoint.parse(c.get("point", "")).name for c in checks]
    if is_off_topic(transcript, question, answer_score):
        return [
            FeedbackPoint(
                category="content",
                kind="improvement",
                message=f'Off topic: the question was "{question.get("content")}", and this answer does not '
                f'address it: it opens with "{q(sentences[0])}" and covers none of the {len(checks)} points '
                f"a good answer makes ({'; '.join(names)}). Answer the question asked before telling a story.",
                quote=q(sentences[0]),
            )
        ]
    points: list[FeedbackPoint] = []
    for check in checks:
        if check.get("covered") and check.get("evidence"):
            points.append(
                FeedbackPoint(
                    category="content",
                    kind="strength",
                    message=f'Key point covered, {check["point"]}: "{q(check["evidence"])}".',
                    quote=q(check["evidence"]),
                )
            )
    missing = [name for check, name in zip(checks, names, strict=True) if not check.get("covered")]
    if missing:
        # One point for every gap: listing each missing key point with its own "closest" sentence
        # repeated the same quote up to four times.
        near = closest_sentence(" ".join(missing), sentences)
        related = text.similarity(" ".join(missing), near) > 0
        listing = "; ".join(missing)
        message = f"Key points missing ({len(missing)} of {len(checks)}): {listing}."
        if related:
            message += f' The nearest you came was "{q(near)}"; make the point outright.'
        points.append(
            FeedbackPoint(
                category="content", kind="improvement", message=message, quote=q(near) if related else ""
            )
        )
    return points


def _filler_points(
    transcript: str, sentences: list[str], features: dict[str, Any], words: int, q: Quoter
) -> list[FeedbackPoint]:
    found = text.find_fillers(transcript)
    ratio = float(features.get("filler_word_ratio", len(found) / words if words else 0.0))
    count = int(features.get("filler_count", len(found)))
    if ratio <= norms.FILLER_UNNOTICED:
        fluent = max(
            sentences,
            key=lambda s: (text.word_count(s) if not text.find_fillers(s) else 0, -sentences.index(s)),
        )
        return [
            FeedbackPoint(
                category="fillers",
                kind="strength",
                message=f"Fillers: {count} in {words} words ({ratio:.0%}), under the {norms.FILLER_UNNOTICED:.0%} "
                f'listeners notice; sentences like "{q(fluent)}" come out clean.',
                quote=q(fluent),
            )
        ]
    common = Counter(f.word for f in found).most_common(3)
    listing = ", ".join(f'"{word}" x{n}' for word, n in common) or "hesitations the audio shows"
    densest = max(sentences, key=lambda s: (len(text.find_fillers(s)), -sentences.index(s)))
    level = "distracting" if ratio > norms.FILLER_DISTRACTING else "noticeable"
    return [
        FeedbackPoint(
            category="fillers",
            kind="improvement",
            message=f"Fillers: {count} in {words} words ({ratio:.0%}) is {level} (norm: under "
            f"{norms.FILLER_UNNOTICED:.0%}; over {norms.FILLER_DISTRACTING:.0%} distracts). Most often {listing}; "
            f'the densest sentence was "{q(densest)}". Pause silently instead of filling the gap.',
            quote=q(densest),
        )
    ]


def _pace_points(timed: list[dict[str, Any]], features: dict[str, Any], q: Quoter) -> list[FeedbackPoint]:
    wpm = float(features.get("speech_rate", 0.0))
    rated = [
        (s["words"] / (s["end"] - s["start"]) * 60.0, s["text"])
        for s in timed
        if s["start"] is not None and s["words"] >= 5 and s["end"] - s["start"] > 0.5
    ]
    low, high = norms.PACE_COMFORTABLE_WPM
    if wpm > norms.PACE_FAST_WPM:
        rate, sentence = max(rated) if rated else (wpm, timed[0]["text"])
        return [
            FeedbackPoint(
                category="pace",
                kind="improvement",
                message=f"Pace: {wpm:.0f} words per minute is fast (comfortable: {low:.0f}-{high:.0f}). "
                f'Your quickest stretch, "{q(sentence)}", ran at {rate:.0f} wpm; slow down on the key facts.',
                quote=q(sentence),
            )
        ]
    if wpm < norms.PACE_SLOW_WPM:
        rate, sentence = min(rated) if rated else (wpm, timed[0]["text"])
        return [
            FeedbackPoint(
                category="pace",
                kind="improvement",
                message=f"Pace: {wpm:.0f} words per minute is slow (comfortable: {low:.0f}-{high:.0f}); "
                f'"{q(sentence)}" ran at {rate:.0f} wpm. Prepare the story so it flows.',
                quote=q(sentence),
            )
        ]
    sentence = timed[len(timed) // 2]["text"]
    return [
        FeedbackPoint(
            category="pace",
            kind="strength",
            message=f"Pace: {wpm:.0f} words per minute sits in the comfortable {low:.0f}-{high:.0f} range "
            f'(e.g. "{q(sentence)}").',
            quote=q(sentence),
        )
    ]


def _said(words: list[dict[str, Any]]) -> str:
    """Timed words as quoted, the uncertain ones marked as in every other quote."""
    return " ".join(
        f"{str(w['text']).strip()} (?)"
        if float(w.get("probability", 1.0)) < LOW_CONFIDENCE
        else str(w["text"]).strip()
        for w in words
    )


def _pause_points(words: list[dict[str, Any]], features: dict[str, Any]) -> list[FeedbackPoint]:
    ratio = float(features.get("pause_ratio", 0.0))
    low, high = norms.PAUSE_RATIO_HEALTHY
    gaps = [(float(words[i + 1]["start"]) - float(words[i]["end"]), i) for i in range(len(words) - 1)]
    longest, at = max(gaps) if gaps else (0.0, 0)
    if longest >= norms.LONG_PAUSE_SECONDS:
        before = _said(words[max(0, at - 3) : at + 1])
        after = _said(words[at + 1 : at + 4])
        passage = f"{before} {after}"
        return [
            FeedbackPoint(
                category="pauses",
                kind="improvement",
                message=f'Pauses: you went silent for {longest:.1f} s between "{before}" and "{after}"; over '
                f"{norms.LONG_PAUSE_SECONDS:.0f} s mid-answer reads as losing the thread. Bridge with the next step "
                "of your story, or say you are thinking.",
                quote=passage,
            )
        ]
    if ratio > norms.PAUSE_RATIO_HIGH:
        return [
            FeedbackPoint(
                category="pauses",
                kind="improvement",
                message=f"Pauses: {ratio:.0%} of the recording is silence (healthy: {low:.0%}-{high:.0%}); "
                "start speaking sooner and keep the gaps between sentences short.",
                quote="",
            )
        ]
    if ratio < norms.PAUSE_RATIO_LOW and len(words) > 20:
        passage = _said(words[:8])
        return [
            FeedbackPoint(
                category="pauses",
                kind="improvement",
                message=f"Pauses: only {ratio:.0%} silence (healthy: {low:.0%}-{high:.0%}); from "
                f'"{passage}" on you barely stop. A short pause after each STAR part lets it land.',
                quote=passage,
            )
        ]
    return []


def _length_points(
    words: int, duration: float, question_type: str | None, sentences: list[str], q: Quoter
) -> list[FeedbackPoint]:
    low, high = norms.answer_words(question_type)
    kind: Literal["strength", "improvement"]
    if words < low:
        kind, verdict = (
            "improvement",
            f"short: a complete answer takes about {low}-{high} words; add the missing parts",
        )
    elif words > high:
        kind, verdict = "improvement", f"long: {low}-{high} words is enough; cut the background"
    else:
        kind, verdict = "strength", f"within the {low}-{high} words a complete answer takes"
    return [
        FeedbackPoint(
            category="length",
            kind=kind,
            message=f'Length: {words} words in {duration:.0f} s, from "{q(sentences[0], 60)}" to '
            f'"{q(sentences[-1], 60)}", is {verdict}.',
            quote=q(sentences[0]),
        )
    ]


def _presence_points(video: dict[str, Any] | None) -> list[FeedbackPoint]:
    if not video:
        return []
    points = []
    eye = float(video.get("eye_contact_score", 0.0))
    if eye >= norms.EYE_CONTACT_GOOD:
        points.append(
            FeedbackPoint(
                category="presence",
                kind="strength",
                quote="",
                message=f"Eye contact: you faced the camera in {eye:.0%} of sampled frames.",
            )
        )
    else:
        points.append(
            FeedbackPoint(
                category="presence",
                kind="improvement",
                quote="",
                message=f"Eye contact: only {eye:.0%} of sampled frames show you facing the camera "
                f"(aim for {norms.EYE_CONTACT_GOOD:.0%}+); put your notes next to the lens.",
            )
        )
    smile = float(video.get("smile_ratio", 0.0))
    low, high = norms.SMILE_RANGE
    if low <= smile <= high:
        points.append(
            FeedbackPoint(
                category="presence",
                kind="strength",
                quote="",
                message=f"Expression: you smiled in {smile:.0%} of face frames, which reads as warm.",
            )
        )
    elif smile < low:
        points.append(
            FeedbackPoint(
                category="presence",
                kind="improvement",
                quote="",
                message=f"Expression: you smiled in {smile:.0%} of face frames; a smile when you "
                "greet and when you land the result reads as warm.",
            )
        )
    else:
        points.append(
            FeedbackPoint(
                category="presence",
                kind="improvement",
                quote="",
                message=f"Expression: you smiled in {smile:.0%} of face frames; warm, but let it drop when you "
                "describe a problem, or serious points sound less serious.",
            )
        )
    posture = float(video.get("posture_score", 0.0))
    if posture < norms.POSTURE_GOOD:
        points.append(
            FeedbackPoint(
                category="presence",
                kind="improvement",
                quote="",
                message=f"Posture: {posture:.2f} (steady is {norms.POSTURE_GOOD:.1f}+); sit centred, "
                "face fully in frame, and keep still.",
            )
        )
    else:
        points.append(
            FeedbackPoint(
                category="presence",
                kind="strength",
                quote="",
                message=f"Posture: steady and centred ({posture:.2f}).",
            )
        )
    return points


Kind = Literal["strength", "improvement"]

_TONE: dict[str, tuple[Kind, str]] = {
    "confident": ("strength", "Tone: your delivery sounds confident: steady pace, few fillers, some melody."),
    "energetic": ("strength", "Tone: energetic: brisk, with lively pitch and volume."),
    "calm": ("strength", "Tone: calm and unhurried."),
    "nervous": (
        "improvement",
        "Tone: the delivery sounds nervous (hesitations or rushed, broken-up speech).",
    ),
    "monotone": (
        "improvement",
        "Tone: monotone: your pitch barely moves; stress the numbers and the outcome.",
    ),
}


def _tone_points(features: dict[str, Any]) -> list[FeedbackPoint]:
    found = _TONE.get(str(features.get("emotion", "")))
    if not found:
        return []
    kind, message = found
    pitch = float(features.get("pitch_variance", 0.0))
    return [
        FeedbackPoint(
            category="tone", kind=kind, quote="", message=f"{message} (pitch varies by {pitch:.0f} Hz.)"
        )
    ]


def _once(points: list[FeedbackPoint]) -> list[FeedbackPoint]:
    """Each point said once: a repeated message goes, and so does an improvement quoting a
    sentence an earlier improvement already quoted (the first says it better)."""
    seen_messages: set[str] = set()
    seen_quotes: set[str] = set()
    kept = []
    for point in points:
        if point.message in seen_messages:
            continue
        if (
            point.kind == "improvement"
            and point.quote
            and point.quote in seen_quotes
            and point.category in ("structure", "content")
        ):
            continue
        seen_messages.add(point.message)
        if point.kind == "improvement" and point.quote:
            seen_quotes.add(point.quote)
        kept.append(point)
    return kept


def _prose(points: list[FeedbackPoint], opening: str) -> str:
    strengths = [p.message for p in points if p.kind == "strength"]
    improvements = [p.message for p in points if p.kind == "improvement"]
    parts = [opening]
    if strengths:
        parts.append("What worked:\n" + "\n".join(f"- {m}" for m in strengths))
    if improvements:
        parts.append("To work on:\n" + "\n".join(f"- {m}" for m in improvements))
    return "\n\n".join(parts)


def practice_feedback_local(inputs: dict[str, Any]) -> PracticeFeedback:
    transcript = str(inputs.get("transcript") or "").strip()
    features: dict[str, Any] = inputs.get("audio_features") or {}
    video: dict[str, Any] | None = inputs.get("video_features") or None
    question: dict[str, Any] | None = inputs.get("question") or None
    answer_score: dict[str, Any] = inputs.get("answer_score") or {}
    question_type = question.get("type") if question else None
    duration = float(inputs.get("duration_seconds") or features.get("duration_seconds") or 0.0)

    if not text.word_count(transcript):
        points = [
            FeedbackPoint(
                category="length",
                kind="improvement",
                message=f"No speech was detected in this {duration:.0f} s recording, so there is no answer to "
                "give feedback on. Check that the microphone is on and record again.",
                quote="",
            ),
            *_presence_points(video),
        ]
        return PracticeFeedback(
            feedback=_prose(points, "No answer was heard in this recording."), points=points
        )

    timed = _sentences(inputs, transcript)
    sentences = [s["text"] for s in timed]
    q = Quoter(list(inputs.get("segments") or []))
    words = [w for w in inputs.get("words") or [] if str(w.get("text", "")).strip()]
    # One count everywhere (fillers, length, the score): the measured one, which adds the
    # hesitations the transcript lost to its words.
    word_count = int(features.get("word_count") or text.word_count(transcript))
    off_topic = bool(question) and is_off_topic(transcript, question or {}, answer_score)
    points = [
        # An off-topic answer is judged on that first; its STAR shape or numbers do not rescue it.
        *([] if off_topic else _structure_points(transcript, sentences, question_type, q)),
        *([] if off_topic else _results_points(transcript, sentences, question_type, q)),
        *_content_points(answer_score, question, sentences, transcript, q),
        *_filler_points(transcript, sentences, features, word_count, q),
        *_pace_points(timed, features, q),
        *_pause_points(words, features),
        *_length_points(word_count, duration, question_type, sentences, q),
        *_presence_points(video),
        *_tone_points(features),
    ]
    points = _once(points)
    if question:
        opening = f'Overall {answer_score.get("overall", 0)}/10 for this {question_type} answer to "{question.get("content")}".'
    else:
        opening = f"Overall {answer_score.get('overall', 0)}/10, judged as a behavioural (STAR) answer."
    return PracticeFeedback(feedback=_prose(points, opening), points=points)


SYSTEM_PROMPT = f"""\
You are an interview coach giving feedback on one recorded answer. Return JSON matching the schema.
Base every remark on the transcript and the measurements given; never invent what was not said.
points: each has a category (structure, results, content, fillers, pace, pauses, length, presence,
tone), kind (strength or improvement), a specific message, and quote: the transcript passage the
point is about, copied verbatim (empty only for presence and tone). Cover:
- structure: STAR (Situation, Task, Action, Result) for behavioural and situational answers,
  quoting the sentences that carry each part and naming the parts missing.
- results: whether the outcome is concrete and quantified; quote the result sentence.
- content: each key point of the question, covered (quote it) or missing (quote the closest).
- fillers: the measured filler_word_ratio against the norms: under {norms.FILLER_UNNOTICED:.0%} unnoticed,
  over {norms.FILLER_DISTRACTING:.0%} distracting; quote the sentence with the most fillers.
- pace: the measured speech_rate in words per minute against the comfortable
  {norms.PACE_COMFORTABLE_WPM[0]:.0f}-{norms.PACE_COMFORTABLE_WPM[1]:.0f} range (over {norms.PACE_FAST_WPM:.0f} fast, under {norms.PACE_SLOW_WPM:.0f} slow).
- pauses: pause_ratio against {norms.PAUSE_RATIO_HEALTHY[0]:.0%}-{norms.PAUSE_RATIO_HEALTHY[1]:.0%}, and any silence over {norms.LONG_PAUSE_SECONDS:.0f} s.
- length: words against the norm for the question type (behavioural 150-300, technical 80-300,
  system design 120-400, motivation 60-200).
- presence (only when video features are given): eye contact (good from {norms.EYE_CONTACT_GOOD:.0%}), smile,
  posture (steady from {norms.POSTURE_GOOD}).
feedback: the same points as prose: an opening sentence with the overall score given, then
"What worked:" and "To work on:" lists."""


def _prompt(inputs: dict[str, Any]) -> str:
    question = inputs.get("question") or None
    features = inputs.get("audio_features") or {}
    score = inputs.get("answer_score") or {}
    lines = [
        f"Role: {inputs.get('job_title', '')} (interviewer: {inputs.get('interviewer_type', '')})",
        f"Question: {question.get('content')} [{question.get('type')}, key points: {'; '.join(question.get('key_points', []))}]"
        if question
        else "Question: not recorded (judge as a behavioural answer)",
        f"Overall score (0-10, measured): {score.get('overall')}",
        "Measured delivery: "
        + ", ".join(
            f"{key}={features.get(key)}"
            for key in (
                "speech_rate",
                "pause_ratio",
                "filler_word_ratio",
                "filler_count",
                "word_count",
                "pitch_variance",
                "emotion",
                "longest_pause_seconds",
                "duration_seconds",
            )
        ),
        f"Video: {inputs.get('video_features') or 'none (audio only)'}",
        f'Transcript:\n"""\n{inputs.get("transcript", "")}\n"""',
    ]
    return "\n".join(lines)


PRACTICE_FEEDBACK = register(
    Task(
        name=TASK,
        output=PracticeFeedback,
        local=practice_feedback_local,
        system_prompt=SYSTEM_PROMPT,
        user_prompt=_prompt,
    )
)
