"""Field conversations: a technician's recorded service call, the chunks the phone uploads while
it records, the speaker-labelled transcript segments made from them, and the technician's voice
profile that tells their voice from the customer's on later calls."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

PUBLIC_ID_PREFIX = "CONV"


class Speaker(models.TextChoices):
    TECHNICIAN = "technician", "Technician"
    CUSTOMER = "customer", "Customer"


class Conversation(models.Model):
    """One service call. `public_id` is `CONV-YYYYMMDD-NNN`: `day` and `number` (its order that
    day) are unique together, so two calls started at once can never share an id.

    The live transcription state lives here too: `speaker_runs` (every voice run heard so far with
    its label, see `conversations.diarization`) and `carry_from` (the call time from which the
    audio is still waiting for the next chunk, see `conversations.pipeline`)."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        PROCESSING = "processing", "Processing"
        ANALYZED = "analyzed", "Analyzed"
        FAILED = "failed", "Failed"

    public_id = models.CharField(max_length=32, unique=True, editable=False)
    day = models.DateField(editable=False)
    number = models.PositiveIntegerField(editable=False)
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations"
    )
    service_job_id = models.CharField(max_length=100, blank=True, help_text="The field job's id (job_id).")
    service_job_title = models.CharField(max_length=200, blank=True)
    customer_name = models.CharField(max_length=200, blank=True)
    customer_phone = models.CharField(max_length=40, blank=True)
    location_address = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    duration_seconds = models.FloatField(
        null=True, blank=True, help_text="Length of the assembled recording."
    )
    recording = models.FileField(max_length=255, blank=True)
    # 0-100, written by the analysis (issue 11); the 1-5 averages in user stats are this / 20.
    customer_satisfaction_score = models.PositiveSmallIntegerField(null=True, blank=True)
    # Why the last analysis failed (status `failed`), for the people reading the call.
    analysis_error = models.TextField(blank=True)

    speaker_runs = models.JSONField(default=list, blank=True)
    carry_from = models.FloatField(default=0.0)
    # The transcript is complete once the call stopped and every chunk and the carry are final.
    finalizing_job = models.CharField(max_length=36, blank=True)
    transcript_completed_at = models.DateTimeField(null=True, blank=True)
    completion_announced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["technician", "-started_at"], name="conversation_tech_started")]
        constraints = [
            models.UniqueConstraint(fields=["day", "number"], name="conversation_one_number_per_day"),
            models.CheckConstraint(
                condition=Q(status__in=["in_progress", "processing", "analyzed", "failed"]),
                name="conversation_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(customer_satisfaction_score__isnull=True)
                | Q(customer_satisfaction_score__lte=100),
                name="conversation_satisfaction_0_100",
            ),
        ]

    def __str__(self) -> str:
        return self.public_id

    @property
    def is_recording(self) -> bool:
        return self.status == self.Status.IN_PROGRESS

    @property
    def has_insights(self) -> bool:
        return self.status == self.Status.ANALYZED


def chunk_path(instance: Chunk, filename: str) -> str:
    return (
        f"conversations/{instance.conversation.public_id}/chunk_{instance.sequence:05d}{instance.extension}"
    )


class Chunk(models.Model):
    """An uploaded piece of the recording. Chunks are transcribed one after another in sequence
    order (`state`): a chunk waits for the ones before it, because its audio continues theirs."""

    class State(models.TextChoices):
        RECEIVED = "received", "Received"
        TRANSCRIBING = "transcribing", "Transcribing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="chunks")
    sequence = models.PositiveIntegerField()
    file = models.FileField(upload_to=chunk_path, max_length=255)
    extension = models.CharField(max_length=10)
    content_type = models.CharField(max_length=100, blank=True)
    size_bytes = models.PositiveBigIntegerField()
    container = models.CharField(max_length=100)
    duration_seconds = models.FloatField(help_text="As the container tells it (probed on upload).")
    state = models.CharField(max_length=20, choices=State.choices, default=State.RECEIVED)
    claimed_by = models.CharField(max_length=36, blank=True, help_text="The job transcribing it.")
    # Set when transcribed: where the chunk starts on the call's timeline and its decoded length.
    offset_seconds = models.FloatField(null=True, blank=True)
    decoded_seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    error_announced_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["conversation", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "sequence"], name="chunk_one_per_sequence"),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="chunk_sequence_positive"),
            models.CheckConstraint(
                condition=Q(state__in=["received", "transcribing", "done", "failed"]),
                name="chunk_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.conversation_id} #{self.sequence}"

    @property
    def public_id(self) -> str:
        return f"CHUNK-{self.pk}"

    @property
    def is_settled(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)


class Segment(models.Model):
    """A stretch of one speaker's words, times in seconds from the start of the call. A partial
    segment (`is_final` false) is the tail of the latest chunk, waiting for the next one; it is
    made final in place (same id) or, when nothing of it survives, retracted."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="segments")
    speaker_type = models.CharField(max_length=20, choices=Speaker.choices)
    text = models.TextField()
    start_time = models.FloatField()
    end_time = models.FloatField()
    confidence = models.FloatField(help_text="Mean word probability from the speech model.")
    words = models.JSONField(default=list, blank=True)
    is_final = models.BooleanField(default=True)
    is_retracted = models.BooleanField(default=False)
    # Null until the frame for its latest state went to the transcribe socket.
    announced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start_time", "id"]
        indexes = [models.Index(fields=["conversation", "start_time"], name="segment_conversation_time")]
        constraints = [
            models.CheckConstraint(
                condition=Q(speaker_type__in=["technician", "customer"]), name="segment_speaker_valid"
            ),
            models.CheckConstraint(
                condition=Q(end_time__gte=models.F("start_time")), name="segment_times_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.speaker_type} {self.start_time:.1f}s {self.text[:40]}"


class VoiceProfile(models.Model):
    """The technician's voice print, blended from their earlier calls (`diarization.VoiceModel`)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="voice_profile"
    )
    model = models.JSONField(help_text="diarization.VoiceModel.to_dict()")
    calls = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"voice of {self.user_id} ({self.calls} calls)"


# --------------------------------------------------------------------------------------------
# Analysis (issue 11): the catalog it reads, each run's results, and the live nudges


class UpsellCatalogEntry(models.Model):
    """One kind of opportunity the analysis looks for, edited by staff in the admin.

    `definition` is the engine's catalog entry (`conversations.ai.CatalogEntry`: cue patterns,
    guards, price ranges, priority rules); title, price range and `is_active` are also columns so
    the admin can list and edit them directly, and are written into `definition` when saved. The
    defaults come from `conversations/data/upsell_catalog.json` (a data migration)."""

    opportunity_type = models.SlugField(max_length=50, unique=True)
    title = models.CharField(max_length=120, help_text="Template, e.g. '{Equipment} Replacement'.")
    price_low = models.DecimalField(max_digits=12, decimal_places=2)
    price_high = models.DecimalField(max_digits=12, decimal_places=2)
    is_active = models.BooleanField(default=True)
    definition = models.JSONField(help_text="The full catalog entry (cues, guards, prices, priority rules).")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["opportunity_type"]
        verbose_name = "upsell catalog entry"
        verbose_name_plural = "upsell catalog"
        constraints = [
            models.CheckConstraint(
                condition=Q(price_low__lte=models.F("price_high")), name="catalog_price_range"
            )
        ]

    def __str__(self) -> str:
        return self.opportunity_type

    def as_entry(self) -> dict[str, Any]:
        """The engine's entry, with the columns staff edit applied."""
        entry = dict(self.definition)
        entry.update(
            opportunity_type=self.opportunity_type,
            title=self.title,
            price={
                **dict(entry.get("price") or {}),
                "low": float(self.price_low),
                "high": float(self.price_high),
            },
        )
        return entry


class ConversationAnalysis(models.Model):
    """One run of the post-call analysis. Analysing again keeps the earlier runs (history) and
    makes the new one current; routes answer from the current one."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="analyses")
    job = models.ForeignKey(
        "analysis.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_current = models.BooleanField(default=True)
    engine = models.CharField(max_length=120)
    metrics = models.JSONField(default=dict, help_text="Call metrics from the transcript timings.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation"], condition=Q(is_current=True), name="analysis_one_current_per_call"
            )
        ]

    def __str__(self) -> str:
        return f"analysis {self.pk} of {self.conversation_id}"


class Insight(models.Model):
    analysis = models.OneToOneField(ConversationAnalysis, on_delete=models.CASCADE, related_name="insight")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="insights")
    summary = models.TextField()
    key_topics = models.JSONField(default=list)
    overall_sentiment = models.CharField(max_length=10)
    sentiment_score = models.FloatField(default=0.0)
    customer_satisfaction_score = models.PositiveSmallIntegerField()
    satisfaction_signals = models.JSONField(default=list)
    positive_keywords = models.JSONField(default=list)
    improvement_keywords = models.JSONField(default=list)
    action_items = models.JSONField(default=list)
    action_item_details = models.JSONField(default=list)
    evidence = models.JSONField(default=list)
    engine = models.CharField(max_length=120)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"insight {self.pk} ({self.customer_satisfaction_score}/100)"


class UpsellOpportunity(models.Model):
    """An opportunity the analysis found; supervisors move its status on (issue 15)."""

    class Status(models.TextChoices):
        IDENTIFIED = "identified", "Identified"
        PRESENTED = "presented", "Presented"
        QUOTED = "quoted", "Quoted"
        CLOSED_WON = "closed_won", "Closed won"
        CLOSED_LOST = "closed_lost", "Closed lost"

    class Priority(models.TextChoices):
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"

    analysis = models.ForeignKey(ConversationAnalysis, on_delete=models.CASCADE, related_name="opportunities")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="opportunities")
    opportunity_type = models.CharField(max_length=50)
    title = models.CharField(max_length=200)
    description = models.TextField()
    trigger_phrase = models.TextField()
    segment_id = models.PositiveIntegerField(null=True, blank=True)
    timestamp_in_call = models.FloatField()
    confidence = models.FloatField()
    estimated_value = models.DecimalField(max_digits=12, decimal_places=2)
    priority = models.CharField(max_length=10, choices=Priority.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IDENTIFIED)
    equipment_facts = models.JSONField(default=dict)
    cues = models.JSONField(default=list)
    actual_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    notes = models.TextField(blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    engine = models.CharField(max_length=120)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["timestamp_in_call", "id"]
        verbose_name_plural = "upsell opportunities"
        indexes = [models.Index(fields=["status", "created_at"], name="opportunity_status_created")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["identified", "presented", "quoted", "closed_won", "closed_lost"]),
                name="opportunity_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1), name="opportunity_confidence_0_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.status})"

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.CLOSED_WON, self.Status.CLOSED_LOST)


class CoachingMoment(models.Model):
    class Severity(models.TextChoices):
        CRITICAL = "critical", "Critical"
        IMPORTANT = "important", "Important"
        MINOR = "minor", "Minor"

    analysis = models.ForeignKey(ConversationAnalysis, on_delete=models.CASCADE, related_name="moments")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="coaching_moments")
    category = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    timestamp_in_call = models.FloatField()
    what_happened = models.TextField()
    what_should_happen = models.TextField()
    example_better_response = models.TextField()
    severity = models.CharField(max_length=10, choices=Severity.choices)
    evidence = models.JSONField(default=list)
    engine = models.CharField(max_length=120)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["timestamp_in_call", "id"]

    def __str__(self) -> str:
        return f"{self.category} at {self.timestamp_in_call:.0f} s"


class Nudge(models.Model):
    """A live prompt pushed during the call; one per cue (`cue_key`) per call. The technician's
    answer to it (`action`) and whether they acted on it within a minute (`acted_on`, judged from
    the transcript) are its measured effect."""

    class Action(models.TextChoices):
        DISMISSED = "dismissed", "Dismissed"
        ACCEPTED = "accepted", "Accepted"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="nudges")
    cue_key = models.CharField(max_length=80)
    nudge_type = models.CharField(max_length=40)
    title = models.CharField(max_length=120)
    message = models.TextField()
    suggested_response = models.TextField()
    confidence = models.FloatField()
    triggered_at = models.FloatField(help_text="Seconds on the call timeline.")
    trigger_phrase = models.TextField(blank=True)
    segment_id = models.PositiveIntegerField(null=True, blank=True)
    topic_terms = models.JSONField(default=list)
    action = models.CharField(max_length=10, choices=Action.choices, blank=True)
    action_at = models.DateTimeField(null=True, blank=True)
    acted_on = models.BooleanField(null=True, blank=True)
    acted_on_at = models.FloatField(null=True, blank=True, help_text="Call time of the technician's words.")
    acted_on_quote = models.TextField(blank=True)
    engine = models.CharField(max_length=120, default="local")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["triggered_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "cue_key"], name="nudge_one_per_cue_per_call")
        ]

    def __str__(self) -> str:
        return f"{self.nudge_type} at {self.triggered_at:.0f} s"


# Private media goes with its row, after commit so that a rolled-back delete keeps the audio.


def _delete_file_on_commit(field: Any) -> None:
    name, storage = field.name, field.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@receiver(post_delete, sender=Chunk)
def _delete_chunk_file(sender: type[Chunk], instance: Chunk, **kwargs: Any) -> None:
    _delete_file_on_commit(instance.file)


@receiver(post_delete, sender=Conversation)
def _delete_recording(sender: type[Conversation], instance: Conversation, **kwargs: Any) -> None:
    _delete_file_on_commit(instance.recording)
