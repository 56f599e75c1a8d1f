"""Users and teams shared by every product: one table, one JWT issuer."""

from __future__ import annotations

import zoneinfo
from functools import cache
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


@cache
def _time_zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    """An IANA name the time zone database knows ("Europe/Berlin", "UTC")."""
    if value not in _time_zone_names():
        raise ValidationError(f"{value!r} is not an IANA time zone name (e.g. 'America/Chicago', 'UTC').")


class Team(models.Model):
    name = models.CharField(max_length=200)
    # Where the team works: days, weeks and leaderboard periods of its analytics begin at local midnight.
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def public_id(self) -> str:
        return f"TEAM-{self.pk:03d}"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: Any) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(is_staff=True, is_superuser=True)
        fields.setdefault("role", User.Role.SUPERVISOR)
        return self._create(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username or "")


class User(AbstractBaseUser, PermissionsMixin):
    class Role(models.TextChoices):
        TECHNICIAN = "technician", "Technician"
        SUPERVISOR = "supervisor", "Supervisor"
        CANDIDATE = "candidate", "Candidate"

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CANDIDATE)
    phone = models.CharField(max_length=32, blank=True)
    profile_picture_url = models.URLField(max_length=500, blank=True)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    supervisor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    is_active = models.BooleanField(default=True)  # type: ignore[misc]  # a real column, not the base's class flag
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    # Nothing beyond email and password: `createsuperuser --noinput --email ...` is how operators
    # script an admin, and a name can be filled in later.
    REQUIRED_FIELDS = []  # noqa: RUF012 - Django's own convention

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.email

    @property
    def public_id(self) -> str:
        return f"USER-{self.pk:05d}"

    @property
    def is_supervisor(self) -> bool:
        return self.role == self.Role.SUPERVISOR
