"""The default interview question bank, seeded by `manage.py seed_questions` (idempotent: questions
are matched by slug; a second run creates and updates nothing). Editable in the admin afterwards;
a reseed restores the seeded fields of the seeded slugs and leaves other questions alone.

The bank itself is data, in `interviews/data/question_bank.json`: one object per question with its
`slug` and the seeded fields below. Key points list cue terms in parentheses (see
`interviews.ai.language`): an answer sentence saying one of them covers the point; `#metric` is a
result stated with a number.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from interviews.models import Question

# Read next to the module, so the bank travels with the package (it must be listed as package data).
QUESTION_BANK_PATH = Path(__file__).parent / "data" / "question_bank.json"

_FIELDS = ("content", "type", "topic", "difficulty", "interviewer_types", "key_points", "tags", "explanation")


def question_bank_read() -> list[dict[str, Any]]:
    """The seeded questions, in file order, as `seed_questions` writes them."""
    with QUESTION_BANK_PATH.open(encoding="utf-8") as bank:
        questions: list[dict[str, Any]] = json.load(bank)
    return questions


@transaction.atomic
def seed_questions() -> tuple[int, int]:
    """(created, updated): the bank as the data file lists it, matched by slug."""
    questions = question_bank_read()
    created = updated = 0
    existing = {q.slug: q for q in Question.objects.filter(slug__in=[q["slug"] for q in questions])}
    for data in questions:
        question = existing.get(data["slug"])
        if question is None:
            question = Question(slug=data["slug"], **{f: data[f] for f in _FIELDS})
            question.full_clean()
            question.save()
            created += 1
            continue
        changed = [f for f in _FIELDS if getattr(question, f) != data[f]]
        if changed:
            for field in changed:
                setattr(question, field, data[field])
            question.full_clean()
            question.save(update_fields=[*changed, "updated_at"])
            updated += 1
    return created, updated
