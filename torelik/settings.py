"""Django settings for Torelik.

Every setting that differs between the embedded demo and production comes from the environment
(prefix TORELIK_). The defaults serve the demo on SQLite at 127.0.0.1:8000.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TORELIK_VAR_DIR", BASE_DIR / "var"))

# Demo mode (TORELIK_DEMO=1, set by `make run`): demo data, demo users, demo CA and the demo bank.
# Outside it the server refuses to start with the published default secrets (kernel.deployment).
TORELIK_DEMO = os.environ.get("TORELIK_DEMO", "0") == "1"
DEFAULT_SECRET_KEY = "demo-only-secret-key-change-me-in-production-0123456789"
DEFAULT_DEMO_BANK_SECRET = "demo-bank-callback-secret"

SECRET_KEY = os.environ.get("TORELIK_SECRET_KEY", DEFAULT_SECRET_KEY)
DEBUG = os.environ.get("TORELIK_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("TORELIK_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
PUBLIC_BASE_URL = os.environ.get("TORELIK_PUBLIC_BASE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "torelik.kernel",
    "torelik.identity",
    "torelik.courts",
    "torelik.archive",
    "torelik.signatures",
    "torelik.cases",
    "torelik.efiling",
    "torelik.notices",
    "torelik.distribution",
    "torelik.acts",
    "torelik.api",
    "torelik.portal",
    "torelik.workspace",
    "torelik.demo",
]

MIDDLEWARE = [
    "torelik.kernel.middleware.DeploymentGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "torelik.kernel.middleware.RejectNulCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "torelik.kernel.middleware.DomainErrorPagesMiddleware",
]

ROOT_URLCONF = "torelik.urls"
WSGI_APPLICATION = "torelik.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "torelik" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "torelik.portal.context_processors.ncalayer",
            ],
        },
    },
]


def _database_from_url(url: str) -> dict[str, object]:
    """postgresql://user:pass@host:port/name -> Django DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql"}:
        raise ValueError(f"Unsupported TORELIK_DATABASE_URL scheme: {parsed.scheme}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")),
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "127.0.0.1",
        "PORT": str(parsed.port or 5432),
        "CONN_MAX_AGE": 60,
        "TEST": {"NAME": unquote(parsed.path.lstrip("/")) + "_test"},
    }


_db_url = os.environ.get("TORELIK_DATABASE_URL", "")
if _db_url:
    DATABASES = {"default": _database_from_url(_db_url)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "torelik.sqlite3",
            # Kept open between requests: opening runs the PRAGMAs, and closing the last
            # connection checkpoints the WAL, which cost more than the request itself.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            # WAL lets the web workers read while the background worker writes.
            "OPTIONS": {
                # A 64 MiB page cache (the default is 2 MiB): indexes of large tables stay in it.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000; "
                    "PRAGMA cache_size=-65536;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "identity.User"
# Sessions only: people log in through identity.services (EDS, or password with a one-time code).
AUTHENTICATION_BACKENDS = ["torelik.identity.backends.SessionOnlyBackend"]
LOGIN_URL = "identity:login"
LOGIN_REDIRECT_URL = "portal:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "ru"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "torelik" / "locale"]
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "torelik" / "static"]
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not TORELIK_DEMO:
    # Production is served over HTTPS (behind a proxy that sets X-Forwarded-Proto).
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Court-specific policy, as data that an installation may change.
TORELIK: dict[str, Any] = {
    # The e-file's content-addressed blob store.
    "ARCHIVE_ROOT": Path(os.environ.get("TORELIK_ARCHIVE_ROOT", VAR_DIR / "archive")),
    # Trust store, test CA and demo keys written by `torelik demo-keys`.
    "PKI_DIR": Path(os.environ.get("TORELIK_PKI_DIR", VAR_DIR / "pki")),
    "MAX_ATTACHMENT_BYTES": int(os.environ.get("TORELIK_MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024)),
    "LOGIN_CHALLENGE_TTL_SECONDS": 120,
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_LOCKOUT_SECONDS": 15 * 60,
    # Foreigners' records may carry 0 as the century digit of an IIN.
    "ACCEPT_IIN_CENTURY_ZERO": os.environ.get("TORELIK_ACCEPT_IIN_CENTURY_ZERO", "0") == "1",
    # Shared secret of the demo bank; a real bank's public key goes here in production.
    # Used only in demo mode: outside it the demo bank is neither mounted nor registered.
    "DEMO_BANK_SECRET": os.environ.get("TORELIK_DEMO_BANK_SECRET", DEFAULT_DEMO_BANK_SECRET),
    "DEMO_BANK_URL": os.environ.get("TORELIK_DEMO_BANK_URL", ""),
    # NCALayer listens on wss://127.0.0.1:13579; the demo signer (`torelik signer`) on ws://.
    "NCALAYER_URL": os.environ.get("TORELIK_NCALAYER_URL", "wss://127.0.0.1:13579"),
    # OCSP responder of the test CA; empty means "use the CRL".
    "OCSP_URL": os.environ.get("TORELIK_OCSP_URL", ""),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TORELIK_LOG_LEVEL", "WARNING")},
}

EMAIL_HOST = os.environ.get("TORELIK_SMTP_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("TORELIK_SMTP_PORT", "2525"))
DEFAULT_FROM_EMAIL = "noreply@torelik.example"
