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
    transcript: str, sentences: list[str], question_type: str | None
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
                f'e.g. "{quote(carriers[0])}".',
                quote=quote(carriers[0]),
            )
        )
    team_sentence = next((s for s in sentences if re.search(r"\bwe\b", s, re.IGNORECASE)), None)
    for name in labels:
        if getattr(star, name):
            continue
        if name == "situation":
            anchor = sentences[0]
            advice = (
                f'You opened with "{quote(anchor)}". Open with the context in one sentence: where you were, '
                "the team, what was at stake."
            )
        elif name == "task":
            anchor = sentences[min(1, len(sentences) - 1)]
            advice = (
                f'By "{quote(anchor)}" the listener still does not know your responsibility. Say what you '
                'were asked to achieve ("My job was to ...") before what you did.'
            )
        elif name == "action":
            anchor = team_sentence or sentences[min(1, len(sentences) - 1)]
            advice = (
                f'"{quote(anchor)}" tells what happened, not what you did. Describe your own actions in the '
                'first person ("I built", "I proposed").'
            )
        else:
            anchor = sentences[-1]
            advice = f'You ended on "{quote(anchor)}". End with the outcome and what changed because of you.'
        points.append(
            FeedbackPoint(
                category="structure",
                kind="improvement",
                message=f"STAR structure: no clear {labels[name]}. {advice}",
                quote=quote(anchor),
            )
        )
    return points


def _results_points(transcript: str, sentences: list[str], question_type: str | None) -> list[FeedbackPoint]:
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
                    f'in "{quote(sentence)}".',
                    quote=quote(sentence),
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
            message=f'Concrete results: the outcome "{quote(outcome)}" has no number.{mention} Say by how much, '
            'how fast or for how many (e.g. "cut response time by 40%", "saved two days a release").',
            quote=quote(outcome),
        )
    ]


def _content_points(
    answer_score: dict[str, Any], question: dict[str, Any] | None, sentences: list[str]
) -> list[FeedbackPoint]:
    if not question:
        return []
    points: list[FeedbackPoint] = []
    for check in answer_score.get("key_points", []):
        if check.get("covered") and check.get("evidence"):
            points.append(
                FeedbackPoint(
                    category="content",
                    kind="strength",
                    message=f'Key point covered, {check["point"]}: "{quote(check["evidence"])}".',
                    quote=quote(check["evidence"]),
                )
            )
        else:
            near = closest_sentence(KeyPoint.parse(check.get("point", "")).name, sentences)
            points.append(
                FeedbackPoint(
                    category="content",
                    kind="improvement",
                    message=f'Key point missing, {check.get("point", "")}. The closest you came was "{quote(near)}".',
                    quote=quote(near),
                )
            )
    return points


def _filler_points(transcript: str, sentences: list[str], features: dict[str, Any]) -> list[FeedbackPoint]:
    found = text.find_fillers(transcript)
    words = int(features.get("word_count") or text.word_count(transcript))
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
                f'listeners notice; sentences like "{quote(fluent)}" come out clean.',
                quote=quote(fluent),
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
            f'the densest sentence was "{quote(densest)}". Pause silently instead of filling the gap.',
            quote=quote(densest),
        )
    ]


def _pace_points(timed: list[dict[str, Any]], features: dict[str, Any]) -> list[FeedbackPoint]:
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
                f'Your quickest stretch, "{quote(sentence)}", ran at {rate:.0f} wpm; slow down on the key facts.',
                quote=quote(sentence),
            )
        ]
    if wpm < norms.PACE_SLOW_WPM:
        rate, sentence = min(rated) if rated else (wpm, timed[0]["text"])
        return [
            FeedbackPoint(
                category="pace",
                kind="improvement",
                message=f"Pace: {wpm:.0f} words per minute is slow (comfortable: {low:.0f}-{high:.0f}); "
                f'"{quote(sentence)}" ran at {rate:.0f} wpm. Prepare the story so it flows.',
                quote=quote(sentence),
            )
        ]
    sentence = timed[len(timed) // 2]["text"]
    return [
        FeedbackPoint(
            category="pace",
            kind="strength",
            message=f"Pace: {wpm:.0f} words per minute sits in the comfortable {low:.0f}-{high:.0f} range "
            f'(e.g. "{quote(sentence)}").',
            quote=quote(sentence),
        )
    ]


def _pause_points(words: list[dict[str, Any]], features: dict[str, Any]) -> list[FeedbackPoint]:
    ratio = float(features.get("pause_ratio", 0.0))
    low, high = norms.PAUSE_RATIO_HEALTHY
    gaps = [(float(words[i + 1]["start"]) - float(words[i]["end"]), i) for i in range(len(words) - 1)]
    longest, at = max(gaps) if gaps else (0.0, 0)
    if longest >= norms.LONG_PAUSE_SECONDS:
        before = " ".join(str(w["text"]).strip() for w in words[max(0, at - 3) : at + 1])
        after = " ".join(str(w["text"]).strip() for w in words[at + 1 : at + 4])
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
        passage = " ".join(str(w["text"]).strip() for w in words[:8])
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
    words: int, duration: float, question_type: str | None, sentences: list[str]
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
            message=f'Length: {words} words in {duration:.0f} s, from "{quote(sentences[0], 60)}" to '
            f'"{quote(sentences[-1], 60)}", is {verdict}.',
            quote=quote(sentences[0]),
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
    words = [w for w in inputs.get("words") or [] if str(w.get("text", "")).strip()]
    word_count = text.word_count(transcript)
    points = [
        *_structure_points(transcript, sentences, question_type),
        *_results_points(transcript, sentences, question_type),
        *_content_points(answer_score, question, sentences),
        *_filler_points(transcript, sentences, features),
        *_pace_points(timed, features),
        *_pause_points(words, features),
        *_length_points(word_count, duration, question_type, sentences),
        *_presence_points(video),
        *_tone_points(features),
    ]
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
