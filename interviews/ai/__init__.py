"""AI tasks of the interview products, registered with `analysis.engines.llm` on import:

- `interview_answer_score` (scoring.py): an answer against its question, 0-10 per dimension.
  Recorded practice and the live mock interview both use it, through `services.answer_score`.
- `practice_feedback` (feedback.py): the report's feedback on one recording.
- `practice_next_question` (questions.py): the adaptive choice of the next bank question.

Each has a deterministic local engine and prompts for the openai provider.
"""

from __future__ import annotations

# The engine choice a job carries to the worker lives with the other settings-to-engine code.
from analysis.engine_config import llm_config, llm_options
from interviews.ai import feedback, questions, scoring

__all__ = ["feedback", "llm_config", "llm_options", "questions", "scoring"]
