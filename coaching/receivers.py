"""Signal receivers (thin): a call saved or deleted outside the services (the admin) still
reaches the analytics rollup and the cached answers."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from coaching import services
from conversations.models import Conversation


@receiver(post_save, sender=Conversation, dispatch_uid="coaching.conversation_saved")
def conversation_saved(
    sender: type[Conversation], instance: Conversation, created: bool, **kwargs: Any
) -> None:
    if not created:  # a new call has not ended: it counts nowhere yet
        services.conversation_changed(instance)


@receiver(post_delete, sender=Conversation, dispatch_uid="coaching.conversation_deleted")
def conversation_deleted(sender: type[Conversation], instance: Conversation, **kwargs: Any) -> None:
    services.conversation_changed(instance)
