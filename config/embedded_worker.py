"""A Celery worker inside the current process, for the embedded mode (no broker configured).

Jobs still take the real Celery path (serialisation, acks, retries) on the in-memory broker; they
are simply consumed by worker threads of the server (or test) process instead of a separate one.
"""

from __future__ import annotations

import logging
import threading

from celery._state import _set_task_join_will_block
from celery.worker import WorkController

from config.celery import app, start_job_reaper

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_worker: WorkController | None = None


def start(*, concurrency: int = 2) -> WorkController:
    """Start the embedded worker once per process and wait until it consumes; later calls reuse it."""
    global _worker
    with _lock:
        if _worker is not None:
            return _worker
        app.loader.import_default_modules()
        worker = app.WorkController(
            pool_cls="threads",
            concurrency=concurrency,
            loglevel="WARNING",
            without_heartbeat=True,
            without_mingle=True,
            without_gossip=True,
            # The server owns signals and stdout; the worker must not install handlers of its own.
            redirect_stdouts=False,
            hostname=f"embedded@{threading.get_ident()}",
        )
        ready = threading.Event()
        worker.consumer_ready = ready  # type: ignore[attr-defined]
        thread = threading.Thread(target=worker.start, name="celery-embedded", daemon=True)
        thread.start()
        _worker = worker
    # A round trip proves the consumer is attached before the first real job is sent.
    app.send_task("config.ping").get(timeout=30, disable_sync_subtasks=False)
    # The pool marks the whole process as "inside a task", which forbids waiting on results; here
    # only the worker threads run tasks, and request threads may wait on a job (with a timeout).
    _set_task_join_will_block(False)
    # A worker started this way sends no worker_ready signal; its reaper is started here.
    start_job_reaper()
    logger.info("embedded Celery worker ready (%d threads)", concurrency)
    return worker


def stop() -> None:
    global _worker
    with _lock:
        if _worker is not None:
            _worker.stop(in_sighandler=False)
            _worker = None
