from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"

    def ready(self) -> None:
        from review import tasks  # noqa: F401  registers the OKR coach's job kinds
