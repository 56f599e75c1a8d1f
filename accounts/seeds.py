"""Demo people for `manage.py seed_demo`: a team with a supervisor and two technicians."""

from __future__ import annotations

from accounts.models import Team, User

DEMO_PASSWORD = "demo-password-123"


def seed_demo() -> str:
    """The demo logins, printed so that whoever ran the command can sign in at once."""
    team, _ = Team.objects.get_or_create(name="Demo Team")
    supervisor = _person("sarah.supervisor@example.com", "Sarah Supervisor", User.Role.SUPERVISOR, team, None)
    people = [supervisor]
    for email, name in (
        ("john.tech@example.com", "John Technician"),
        ("maria.tech@example.com", "Maria Technician"),
    ):
        people.append(_person(email, name, User.Role.TECHNICIAN, team, supervisor))
    people.append(_person("casey.candidate@example.com", "Casey Candidate", User.Role.CANDIDATE, None, None))
    logins = "".join(f"\n  {person.email:<30} {person.role:<11} {person.public_id}" for person in people)
    return f"{team.public_id} ({team.name}); sign in with password {DEMO_PASSWORD!r} as:{logins}"


def _person(email: str, name: str, role: str, team: Team | None, supervisor: User | None) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        return User.objects.create_user(
            email, DEMO_PASSWORD, full_name=name, role=role, team=team, supervisor=supervisor
        )
    return user
