from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "interviews"

    def ready(self) -> None:
        from interviews import tasks  # noqa: F401  registers the practice coach's job kinds
