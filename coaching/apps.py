from __future__ import annotations

from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = "Coaching"

    def ready(self) -> None:
        # The job kinds (webhook attempts, the rollup) in every process, the listener that turns
        # conversation events into webhooks and rollup refreshes, and the users' upsell stats.
        from accounts.selectors import user_stats_provider_register
        from coaching import receivers, services, tasks  # noqa: F401  tasks registers the job kinds
        from coaching.selectors.analytics import upsell_conversion_stats
        from conversations import events

        events.listen(services.conversation_event_receive)
        user_stats_provider_register(upsell_conversion_stats)
