"""Prachum configuration, chosen by PRACHUM_ENV = development (default) | testing | production."""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("PRACHUM_INSTANCE", BASE_DIR / "instance"))


def _development_secret_key() -> str:
    """Generate a secret key once and keep it in instance/ so sessions survive restarts."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key_file = INSTANCE_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SECRET_KEY: str | None = None
    PRACHUM_OUTBOX = os.environ.get("PRACHUM_OUTBOX", str(INSTANCE_DIR / "outbox"))
    PRACHUM_UPLOADS = os.environ.get("PRACHUM_UPLOADS", str(INSTANCE_DIR / "uploads"))
    # Attachment storage (app/storage.py): local (PRACHUM_UPLOADS) or s3 (an S3-compatible bucket; credentials
    # from the standard AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)
    PRACHUM_STORAGE = os.environ.get("PRACHUM_STORAGE") or "local"
    PRACHUM_S3_ENDPOINT = os.environ.get("PRACHUM_S3_ENDPOINT") or None
    PRACHUM_S3_BUCKET = os.environ.get("PRACHUM_S3_BUCKET") or None
    PRACHUM_S3_REGION = os.environ.get("PRACHUM_S3_REGION") or None
    PRACHUM_GARUDA_IMAGE = os.environ.get("PRACHUM_GARUDA_IMAGE")  # the emblem (PNG/JPEG) on invitation letters
    PRACHUM_DOCUMENT_DIGITS = os.environ.get("PRACHUM_DOCUMENT_DIGITS", "arabic")  # page numbers: arabic (2) | thai (๒)
    MAX_ATTACHMENT_MB = int(os.environ.get("PRACHUM_MAX_ATTACHMENT_MB", "20"))
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "") in ("1", "true", "yes")
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "prachum@localhost")  # "prachum@x.go.th" or "ประชุม <prachum@x.go.th>"
    # Calendar answers (iTIP REPLY, app/meetings/replies.py): invitations name this mailbox as ORGANIZER, so
    # a member's "Yes" in Outlook, Gmail or Apple Calendar goes there; unset: the address in MAIL_SENDER.
    # `flask mail receive` reads one message on standard input (a mail server's pipe); `flask mail fetch`
    # reads PRACHUM_IMAP_URL (imap[s]://user:password@host:port/folder) and moves what it read.
    PRACHUM_REPLY_ADDRESS = os.environ.get("PRACHUM_REPLY_ADDRESS") or None
    PRACHUM_IMAP_URL = os.environ.get("PRACHUM_IMAP_URL") or None
    PRACHUM_IMAP_PROCESSED = os.environ.get("PRACHUM_IMAP_PROCESSED") or "Processed"  # answers read
    PRACHUM_IMAP_UNPROCESSED = os.environ.get("PRACHUM_IMAP_UNPROCESSED") or "Unprocessed"  # no answer in them
    # Absolute links in e-mails and calendar feeds (app/links.py); unset: the host of the request, and for
    # mail queued outside a request (CLI, reminders) the development server's http://127.0.0.1:5000.
    PUBLIC_BASE_URL: str | None = None  # PRACHUM_PUBLIC_URL, e.g. https://prachum.example.go.th
    STRICT_TRANSPORT_SECURITY: str | None = None  # HSTS header value (app/security.py); production only
    # LINE Official Account (Messaging API, app/notify/line.py); without a token and secret nothing is pushed
    LINE_CHANNEL_ACCESS_TOKEN = os.environ.get("LINE_CHANNEL_ACCESS_TOKEN") or None
    LINE_CHANNEL_SECRET = os.environ.get("LINE_CHANNEL_SECRET") or None
    LINE_API_BASE_URL = os.environ.get("LINE_API_BASE_URL") or "https://api.line.me"
    BABEL_DEFAULT_LOCALE = "th"
    BABEL_DEFAULT_TIMEZONE = "Asia/Bangkok"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGES = ("th", "en")
    BOOTSTRAP_SERVE_LOCAL = True
    BOOTSTRAP_BOOTSWATCH_THEME = None
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=30)  # also when a remembered sign-in ends on the server
    SIGN_IN_LIFETIME = timedelta(hours=int(os.environ.get("PRACHUM_SIGN_IN_HOURS", "12")))  # without remember-me
    # Failed sign-ins (only failures count) per account and per client address, in Flask-Limiter's storage
    # (RATELIMIT_STORAGE_URI, set in __init__): REDIS_URL when set, so every node and worker counts together;
    # without either, memory:// (one process).
    # Operations (app/operations.py): log format json | text (default: json in production), level, the networks
    # that may read /metrics without signing in, and how many reverse proxies set X-Forwarded-* in front.
    PRACHUM_LOG_FORMAT = os.environ.get("PRACHUM_LOG_FORMAT") or None
    PRACHUM_LOG_LEVEL = os.environ.get("PRACHUM_LOG_LEVEL") or "INFO"
    PRACHUM_METRICS_NETWORKS = os.environ.get("PRACHUM_METRICS_NETWORKS") or None
    PRACHUM_PROXY_HOPS = int(os.environ.get("PRACHUM_PROXY_HOPS") or 0)
    REDIS_URL = os.environ.get("REDIS_URL") or None  # the shared cache, throttle storage and (default) broker
    # The shared cache of computed answers (app/caching.py): redis | simple (one process) | null (off); unset: redis
    # when CACHE_REDIS_URL (else REDIS_URL) is set, otherwise simple. Entries are keyed by the data's version.
    PRACHUM_CACHE = os.environ.get("PRACHUM_CACHE") or None
    PRACHUM_CACHE_TIMEOUT = int(os.environ.get("PRACHUM_CACHE_TIMEOUT") or 300)  # seconds; only frees memory
    # Kept responses (app/kept_responses.py): a repeated read answered from the worker's copy while the data's
    # generation (a counter in Redis, raised after every write) has not moved; on when REDIS_URL is set, unless "0".
    PRACHUM_KEPT_RESPONSES = os.environ.get("PRACHUM_KEPT_RESPONSES", "1").lower() not in ("0", "false", "no")
    PRACHUM_KEPT_RESPONSES_MAX_BYTES = int(os.environ.get("PRACHUM_KEPT_RESPONSES_MAX_BYTES") or 64 * 1024 * 1024)
    PRACHUM_KEPT_RESPONSE_SECONDS = int(os.environ.get("PRACHUM_KEPT_RESPONSE_SECONDS") or 600)
    PRACHUM_KEPT_RESPONSE_MAX_BYTES = int(os.environ.get("PRACHUM_KEPT_RESPONSE_MAX_BYTES") or 16 * 1024 * 1024)
    # Background jobs (app/jobs.py): Celery's broker; unset, REDIS_URL; neither: jobs run eagerly in-process.
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or None
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_HEADERS_ENABLED = False
    LOGIN_FAILURES_PER_ACCOUNT = os.environ.get("PRACHUM_LOGIN_FAILURES_PER_ACCOUNT", "20 per 15 minutes")
    LOGIN_FAILURES_PER_ADDRESS = os.environ.get("PRACHUM_LOGIN_FAILURES_PER_ADDRESS", "100 per 15 minutes")
    JSON_SORT_KEYS = False
    # Load PyThaiNLP's dictionary in create_app (1–1.75 s) instead of at the first search; gunicorn.conf.py warms
    # each worker whatever this says.
    WARM_UP_SEARCH = os.environ.get("PRACHUM_WARM_UP_SEARCH", "") in ("1", "true", "yes")
    SHOW_DEMO_PASSWORD = False
    DEMO_PASSWORD = "prachum-demo"

    def __init__(self) -> None:
        self.SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'prachum.db'}"
        self.REDIS_URL = os.environ.get("REDIS_URL") or None
        self.RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or self.REDIS_URL or "memory://"
        self.CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL") or self.REDIS_URL
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or self.SECRET_KEY
        self.PUBLIC_BASE_URL = (os.environ.get("PRACHUM_PUBLIC_URL") or "").strip() or None
        self.MAX_CONTENT_LENGTH = (self.MAX_ATTACHMENT_MB + 2) * 1024 * 1024  # whole request, a bit above a file


class DevelopmentConfig(Config):
    """Local development: SQLite in instance/, generated secret key, demo password shown."""

    ENV_NAME = "development"
    SHOW_DEMO_PASSWORD = True

    def __init__(self) -> None:
        super().__init__()
        if not self.SECRET_KEY:
            self.SECRET_KEY = _development_secret_key()


class TestingConfig(Config):
    """Tests: TEST_DATABASE_URL (default: SQLite file in a temp dir), CSRF on as in production."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key"
    SHOW_DEMO_PASSWORD = True
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast hashing keeps the suite quick; production uses scrypt
    CELERY_BROKER_URL = None  # jobs run eagerly (a test that needs a worker configures its own broker)
    PRACHUM_CACHE = "null"  # every request computes afresh (a test that needs the cache turns it on)
    PRACHUM_KEPT_RESPONSES = False  # likewise (tests/functional/test_kept_responses.py turns them on)

    def __init__(self) -> None:
        super().__init__()
        self.SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'test.db'}"


class ProductionConfig(Config):
    """Production: SECRET_KEY must come from the environment; cookies only over HTTPS."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"

    def __init__(self) -> None:
        super().__init__()
        if not self.SECRET_KEY:
            raise RuntimeError("SECRET_KEY must be set in the environment when PRACHUM_ENV=production")
        if not self.PUBLIC_BASE_URL or not self.PUBLIC_BASE_URL.startswith(("https://", "http://")):
            raise RuntimeError("PRACHUM_PUBLIC_URL (e.g. https://prachum.example.go.th) must be set in the "
                               "environment when PRACHUM_ENV=production: it is the address in e-mails and feeds")


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for_environment(name: str | None = None) -> Config:
    """Instantiate the configuration named by PRACHUM_ENV (development when unset)."""
    name = (name or os.environ.get("PRACHUM_ENV") or "development").strip().lower()
    if name not in CONFIGS:
        raise RuntimeError(f"PRACHUM_ENV must be one of {', '.join(CONFIGS)}, not {name!r}")
    return CONFIGS[name]()
