"""The five default OKR review questions, seeded by `manage.py seed_questions`."""

from __future__ import annotations

from review.models import Question

# Worded as an OKR coach opens a review: the outcome first, then what stands in the way, what to
# build on, how success shows in numbers, and who does it with what by when.
DEFAULT_QUESTIONS: tuple[tuple[str, int, str], ...] = (
    (
        "goal",
        1,
        "What is the one business goal that matters most for the next 3 to 6 months? "
        "Say what should change, by how much, and by when.",
    ),
    (
        "blockers",
        2,
        "What is blocking progress toward that goal today? Name the biggest obstacles (people, "
        "process, technology, market or money) and how they show up.",
    ),
    (
        "strengths",
        3,
        "What is already working well that you can build on? Think of customers, channels, team "
        "strengths or results you are proud of.",
    ),
    (
        "measures",
        4,
        "How will you measure success? Which numbers do you track, where are they today, and "
        "where should they be when you reach the goal?",
    ),
    (
        "resources",
        5,
        "What resources and timeline do you have? Who owns the work, what budget or runway is "
        "available, and what are the key dates or milestones?",
    ),
)


def seed_questions() -> tuple[int, int]:
    """Create the default questions that are missing; returns (created, updated).

    Seeding runs on every `make run`, so a question that exists is left as staff edited it
    (wording, order, active): updated is always 0 and running it twice changes nothing.
    """
    created = 0
    for key, order, prompt in DEFAULT_QUESTIONS:
        _, was_created = Question.objects.get_or_create(key=key, defaults={"order": order, "prompt": prompt})
        created += int(was_created)
    return created, 0
