"""Answer scoring, shared by recorded practice and the live mock interview."""

from __future__ import annotations

from analysis.engines import llm
from interviews import ai, selectors
from interviews.ai.scoring import TASK, AnswerScore
from interviews.exceptions import AIServiceUnavailable
from interviews.models import Question


def answer_score(
    *,
    question: Question | None,
    answer_text: str,
    config: llm.LLMConfig | None = None,
    word_count: int | None = None,
) -> AnswerScore:
    """Score `answer_text` against `question` (its key points, type and topic) with the configured
    AI provider: 0-10 for technical, design, communication and overall (see `ai.scoring`).
    Without a question the answer is judged as a behavioural (STAR) answer.

    `word_count`, when the recording was measured, is that count (it adds the hesitations the
    transcript lost), so the score and the report agree on one number.

    Raises AIServiceUnavailable when the provider fails after its retries.
    """
    inputs: dict[str, object] = {"question": selectors.question_as_input(question), "answer": answer_text}
    if word_count is not None:
        inputs["word_count"] = word_count
    try:
        result = llm.run(TASK, inputs, config=config or ai.llm_config())
    except llm.AIUnavailable as error:
        raise AIServiceUnavailable(f"The AI service is unavailable: {error}") from error
    assert isinstance(result, AnswerScore)
    return result
