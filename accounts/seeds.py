"""Demo people for `manage.py seed_demo`: a team with a supervisor and two technicians."""

from __future__ import annotations

from accounts.models import Team, User

DEMO_PASSWORD = "demo-password-123"


def seed_demo() -> str:
    team, _ = Team.objects.get_or_create(name="Demo Team")
    supervisor = _person("sarah.supervisor@example.com", "Sarah Supervisor", User.Role.SUPERVISOR, team, None)
    for email, name in (
        ("john.tech@example.com", "John Technician"),
        ("maria.tech@example.com", "Maria Technician"),
    ):
        _person(email, name, User.Role.TECHNICIAN, team, supervisor)
    _person("casey.candidate@example.com", "Casey Candidate", User.Role.CANDIDATE, None, None)
    return f"{team.public_id} with 1 supervisor, 2 technicians, 1 candidate; password {DEMO_PASSWORD!r}"


def _person(email: str, name: str, role: str, team: Team | None, supervisor: User | None) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        return User.objects.create_user(
            email, DEMO_PASSWORD, full_name=name, role=role, team=team, supervisor=supervisor
        )
    return user
