from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "conversations"

    def ready(self) -> None:
        from accounts.selectors import user_stats_provider_register
        from conversations import selectors, tasks  # noqa: F401  tasks registers the job kinds

        user_stats_provider_register(selectors.technician_stats)
