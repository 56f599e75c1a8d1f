"""Finds each installed app's `seeds` module, for the seed_questions and seed_demo commands."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from types import ModuleType

from django.apps import apps


def app_seed_modules(function: str) -> Iterator[tuple[str, ModuleType]]:
    """(app label, module) for every app whose `seeds` module defines `function`."""
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.seeds")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.seeds":
                raise  # a seeds module that exists but fails to import is a bug to show
            continue
        if hasattr(module, function):
            yield config.label, module
