"""Keeping uploaded media on the server's disk, with failures that say what happened: a full disk
(507, Insufficient Storage) or another I/O error (503), and never a half-written file left behind
without its row."""

from __future__ import annotations

import errno
import logging
from typing import Any

logger = logging.getLogger(__name__)

_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class StorageError(Exception):
    status = 503

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StorageFull(StorageError):
    status = 507


def save_file(field_file: Any, name: str, content: Any) -> None:
    """`field_file.save(name, content, save=False)`, with a failure turned into StorageFull or
    StorageError after removing whatever part of the file was written."""
    storage, field = field_file.storage, field_file.field
    # The name is settled before writing, so a write that fails halfway is known and removed.
    target = storage.get_available_name(
        field.generate_filename(field_file.instance, name), max_length=field.max_length
    )
    try:
        saved = storage.save(target, content, max_length=field.max_length)
    except OSError as error:
        try:
            if storage.exists(target):
                storage.delete(target)
        except OSError:
            logger.exception("could not remove the partial upload %s", target)
        if error.errno in _FULL:
            logger.error("upload refused: the media disk is full (%s)", error)
            raise StorageFull(
                "The server's storage is full; the upload was not kept. Try again later."
            ) from error
        logger.exception("upload could not be written")
        raise StorageError(
            "The upload could not be stored right now; nothing was kept. Try again shortly."
        ) from error
    # What FieldFile.save does after writing.
    field_file.name = saved
    setattr(field_file.instance, field.attname, saved)
    field_file._committed = True
