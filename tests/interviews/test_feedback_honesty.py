"""Practice feedback that is honest about content and about what the speech model heard: an
off-topic answer is told so plainly, each point is made once, words the model was unsure of are
marked where they are quoted, and one word count is used everywhere (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from analysis.engines import llm
from interviews.ai import feedback, scoring
from interviews.ai.language import appears_in
from tests.conftest import bearer
from tests.interviews.conftest import AUDIO, create_session, upload

BANK = {q["slug"]: q for q in json.loads((Path("interviews/data/question_bank.json")).read_text())}
STORY = (
    "In my last role I led a team of four engineers. We rebuilt the checkout page in six weeks, and "
    "sales grew by 10%. I learned to plan early and to share progress every Friday."
)
LOCAL = llm.LLMConfig()


def question(slug: str) -> dict[str, Any]:
    q = BANK[slug]
    return {key: q[key] for key in ("content", "type", "topic", "difficulty", "key_points")}


def feedback_on(answer: str, asked: dict[str, Any] | None, **extra: Any) -> feedback.PracticeFeedback:
    score = llm.run(scoring.TASK, {"question": asked, "answer": answer}, config=LOCAL)
    inputs = {
        "transcript": answer,
        "question": asked,
        "answer_score": score.model_dump(),
        "audio_features": {
            "speech_rate": 140.0,
            "pause_ratio": 0.2,
            "filler_word_ratio": 0.0,
            "emotion": "calm",
        },
        "duration_seconds": 20.0,
        **extra,
    }
    result = llm.run(feedback.TASK, inputs, config=LOCAL)
    assert isinstance(result, feedback.PracticeFeedback)
    return result


def test_a_star_story_given_to_a_technical_question_is_called_off_topic_once() -> None:
    # given the GIL question answered with a behavioural story about a checkout rebuild
    result = feedback_on(STORY, question("tech-python-gil"))
    content = [p for p in result.points if p.category == "content"]
    # then one content point says plainly that the answer is off topic and names what was missed
    assert len(content) == 1 and content[0].message.startswith("Off topic:")
    assert "What is the GIL in Python" in content[0].message and "asyncio" in content[0].message
    # and nothing repeats "the closest you came" for each of the four key points
    assert "closest you came" not in result.feedback
    assert result.feedback.count("In my last role") <= 2  # the off-topic point and the length line


def test_an_on_topic_answer_missing_key_points_lists_them_in_one_point() -> None:
    answer = (
        "A junior developer on my team struggled with code reviews. I paired with her twice a week and "
        "gave her written feedback on every pull request."
    )
    result = feedback_on(answer, question("beh-mentoring"))
    missing = [p for p in result.points if p.category == "content" and p.kind == "improvement"]
    assert len(missing) == 1
    assert missing[0].message.startswith("Key points missing (1 of 3): How their growth showed")
    assert "Off topic" not in result.feedback


def test_no_point_is_made_twice() -> None:
    for slug in ("tech-python-gil", "beh-mentoring"):
        result = feedback_on(STORY, question(slug))
        messages = [p.message for p in result.points]
        assert len(messages) == len(set(messages))
        quoted = [
            p.quote
            for p in result.points
            if p.kind == "improvement" and p.category in ("structure", "content") and p.quote
        ]
        assert len(quoted) == len(set(quoted))


def test_words_the_speech_model_was_unsure_of_are_marked_where_they_are_quoted() -> None:
    # given a transcript in which tiny.en heard "led" as "learned" with probability 0.29
    heard = "In my last role I learned a team of four engineers."
    probabilities = [0.7, 0.98, 0.99, 0.74, 0.98, 0.29, 0.65, 0.92, 0.88, 0.56, 0.96]
    words = [
        {"text": w, "start": i * 0.4, "end": i * 0.4 + 0.3, "probability": p}
        for i, (w, p) in enumerate(zip(heard.split(), probabilities, strict=True))
    ]
    segments = [{"text": heard, "start": 0.0, "end": 4.3, "words": words}]
    result = feedback_on(heard, None, segments=segments, words=words)
    quotes = [p.quote for p in result.points if "last role" in p.quote]
    # then every quote of it marks the uncertain word, and still matches the transcript
    assert quotes and all("learned (?)" in q for q in quotes)
    assert all(appears_in(q, heard) for q in quotes)
    assert "I learned a team" not in result.feedback


@pytest.mark.django_db(transaction=True)
def test_the_report_uses_one_word_count_everywhere(
    api: Any, carol_candidate: Any, celery_worker: str
) -> None:
    # given an answer with hesitations the transcript may lose (the audio detector adds them)
    session = create_session(api, carol_candidate, interviewer_type="Behavioral")
    media = upload(api, carol_candidate, session["id"], AUDIO / "speech_fillers.wav", "audio").json()
    # when its report is made
    report = api.post(f"/interview/media/{media['id']}/report", **bearer(carol_candidate)).json()
    # then the fillers line, the length line and the score count the same words
    count = report["audio_features"].get("word_count") or report["answer_score"]["word_count"]
    assert report["answer_score"]["word_count"] == count
    fillers = next(p["message"] for p in report["points"] if p["category"] == "fillers")
    length = next(p["message"] for p in report["points"] if p["category"] == "length")
    assert f" in {count} words" in fillers and length.startswith(f"Length: {count} words")
