"""Shared tasks that belong to no single product. Product tasks (OKR dashboard, answer scoring,
report sections, ...) and their prompts live in the app that owns them.

text_insights: what a piece of text says and how it is put. Input {"text": str}.
"""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, Field

from analysis.engines import text
from analysis.engines.llm.core import Task, TaskOutput, register


class SentimentSummary(BaseModel):
    label: Literal["positive", "neutral", "negative"]
    compound: float = Field(ge=-1.0, le=1.0, description="VADER-style compound score, -1..1")


class StarSummary(BaseModel):
    situation: bool
    task: bool
    action: bool
    result: bool
    has_metrics: bool = Field(description="the result is quantified (numbers, percents, money, time)")
    score: float = Field(ge=0.0, le=1.0)


class TextInsights(TaskOutput):
    summary: str = Field(description="the text's most informative sentences, verbatim, in order")
    keywords: list[str] = Field(description="up to 10 key phrases, lower case")
    sentiment: SentimentSummary
    questions: list[str] = Field(description="sentences of the text that ask something")
    filler_count: int = Field(ge=0, description="um/uh, filler 'like', 'you know', ...")
    star: StarSummary


SUMMARY_KEYWORDS = 10


def summarize(source: str, *, max_sentences: int | None = None) -> str:
    """Extractive summary: the sentences covering the most (and best-ranked) keywords, fillers
    removed, in their original order. Two sentences, three past ten sentences of input."""
    candidates = [text.remove_fillers(s) for s in text.sentences(source)]
    candidates = [s for s in candidates if text.word_count(s) >= 3]
    if not candidates:
        return text.remove_fillers(source)
    limit = max_sentences or (3 if len(candidates) > 10 else 2)
    ranked_keywords = text.keywords(source, top=SUMMARY_KEYWORDS)
    keyword_terms = [set(text.tokenize_words(k.lower())) for k in ranked_keywords]

    def coverage(sentence: str) -> float:
        words = {w.lower() for w in text.tokenize_words(sentence)}
        # Earlier keywords weigh more; dividing by sqrt(length) stops long sentences winning by size.
        hits = sum(SUMMARY_KEYWORDS - rank for rank, terms in enumerate(keyword_terms) if terms <= words)
        return hits / math.sqrt(len(words))

    order = sorted(range(len(candidates)), key=lambda i: (-coverage(candidates[i]), i))
    chosen = sorted(order[:limit])
    return " ".join(candidates[i] for i in chosen)


def text_insights_local(inputs: dict[str, Any]) -> TextInsights:
    source = str(inputs["text"])
    star = text.star_structure(source)
    mood = text.sentiment(source)
    return TextInsights(
        summary=summarize(source),
        keywords=text.keywords(source, top=10),
        sentiment=SentimentSummary(label=mood.label, compound=mood.compound),
        questions=text.questions(source),
        filler_count=len(text.find_fillers(source)),
        star=StarSummary(
            situation=star.situation,
            task=star.task,
            action=star.action,
            result=star.result,
            has_metrics=star.has_metrics,
            score=star.score,
        ),
    )


TEXT_INSIGHTS_SYSTEM_PROMPT = """\
You analyse one piece of text: an interview answer, a call transcript or a written note.
Return JSON matching the schema:
- summary: the two or three most informative sentences of the text, quoted verbatim, without
  filler words (um, uh, filler "like", "you know").
- keywords: up to 10 key phrases of one to three words, lower case, most important first.
- sentiment: label positive, neutral or negative, and compound from -1 (very negative) to 1.
- questions: every sentence of the text that asks a question, verbatim.
- filler_count: how many filler words or phrases the text contains.
- star: whether the text covers the Situation, Task, Action and Result of the STAR method,
  whether the result is quantified (has_metrics), and score from 0 to 1
  (situation 0.2, task 0.2, action 0.25, result 0.25, quantified result 0.1).
Use only what the text says; do not invent facts."""


def _text_insights_prompt(inputs: dict[str, Any]) -> str:
    return f'Text:\n"""\n{inputs["text"]}\n"""'


TEXT_INSIGHTS = register(
    Task(
        name="text_insights",
        output=TextInsights,
        local=text_insights_local,
        system_prompt=TEXT_INSIGHTS_SYSTEM_PROMPT,
        user_prompt=_text_insights_prompt,
    )
)
