"""Settings for benchmark servers: the project's own, plus a route table with the baselines."""

from config.settings import *  # noqa: F403
from config.settings import VAR_DIR

ROOT_URLCONF = "benchmarks.urls"
DEBUG = False
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "ERROR", "handlers": []}}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["NAME"] = str(VAR_DIR / "bench.sqlite3")  # noqa: F405
