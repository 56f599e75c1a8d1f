"""`manage.py seed_questions` creates the five default questions once and never overwrites staff edits."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from review.models import Question
from review.seeds import DEFAULT_QUESTIONS, seed_questions

pytestmark = pytest.mark.django_db


def test_seeding_creates_the_five_default_questions_in_order() -> None:
    assert seed_questions() == (5, 0)
    assert list(Question.objects.values_list("order", flat=True)) == [1, 2, 3, 4, 5]
    assert all(q.is_active for q in Question.objects.all())
    prompts = " ".join(Question.objects.values_list("prompt", flat=True)).lower()
    for topic in ("goal", "blocking", "working well", "measure success", "resources and timeline"):
        assert topic in prompts


def test_seeding_twice_changes_nothing() -> None:
    seed_questions()
    before = list(Question.objects.values("id", "prompt", "order", "is_active", "updated_at"))
    assert seed_questions() == (0, 0)
    assert list(Question.objects.values("id", "prompt", "order", "is_active", "updated_at")) == before


def test_seeding_keeps_what_staff_edited_and_restores_only_deleted_defaults() -> None:
    seed_questions()
    Question.objects.filter(key="goal").update(prompt="What is your north star?", is_active=False)
    Question.objects.filter(key="resources").delete()
    assert seed_questions() == (1, 0)
    goal = Question.objects.get(key="goal")
    assert (goal.prompt, goal.is_active) == ("What is your north star?", False)
    assert Question.objects.filter(key="resources").count() == 1


def test_the_management_command_reports_the_review_app() -> None:
    out = StringIO()
    call_command("seed_questions", stdout=out)
    call_command("seed_questions", stdout=out)
    assert "review: 5 created, 0 updated" in out.getvalue()
    assert "review: 0 created, 0 updated" in out.getvalue()
    assert Question.objects.count() == len(DEFAULT_QUESTIONS)
