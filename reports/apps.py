from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Report sections"

    def ready(self) -> None:
        # Registers the section tasks with the LLM layer and the job kind with the runner in every
        # process (web and worker), and the X-API-Key scheme with drf-spectacular.
        from reports import ai, authentication, tasks  # noqa: F401
