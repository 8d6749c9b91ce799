"""The one settings module of MotCua, driven entirely by environment variables.

With no variables set MotCua runs embedded: SQLite (WAL), files in a local folder, tasks stored in
the database, cache in memory. Each part switches to its production form through the variables
declared (and documented) in :mod:`motcua.config.env`. See docs/configuration.md and ADR 0004.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.utils.csp import CSP  # type: ignore[import-not-found,unused-ignore]
from django.utils.translation import gettext_lazy as _

from motcua.config.env import (
    ConfigError,
    read_bool,
    read_int,
    read_list,
    read_path,
    read_str,
)

SRC_DIR = Path(__file__).resolve().parent.parent  # src/motcua

# --- Mode and secrets ------------------------------------------------------------------------
MOTCUA_ENV = read_str("MOTCUA_ENV")
PRODUCTION = MOTCUA_ENV == "production"

# A fixed key so that development sessions survive restarts; production refuses it.
DEVELOPMENT_SECRET_KEY = "motcua-development-only-secret-key-never-use-in-production"  # noqa: S105
SECRET_KEY = read_str("MOTCUA_SECRET_KEY") or DEVELOPMENT_SECRET_KEY
DEBUG = read_bool("MOTCUA_DEBUG")

ALLOWED_HOSTS = read_list("MOTCUA_ALLOWED_HOSTS") or (
    [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = read_list("MOTCUA_CSRF_TRUSTED_ORIGINS")
MOTCUA_SITE_URL = read_str("MOTCUA_SITE_URL").rstrip("/")
if not MOTCUA_SITE_URL.startswith(("http://", "https://")):
    raise ConfigError(f"MOTCUA_SITE_URL: {MOTCUA_SITE_URL!r} must start with http:// or https://")

if PRODUCTION:
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY:
        raise ConfigError(
            "MOTCUA_SECRET_KEY: production needs its own secret key (50+ random chars)"
        )
    if len(SECRET_KEY) < 50:
        raise ConfigError("MOTCUA_SECRET_KEY: too short for production (use 50+ random characters)")
    if DEBUG:
        raise ConfigError("MOTCUA_DEBUG: debug pages must be off in production")
    if not ALLOWED_HOSTS:
        raise ConfigError("MOTCUA_ALLOWED_HOSTS: production needs the site's host names")

DATA_DIR = read_path("MOTCUA_DATA_DIR").resolve()


# --- Database --------------------------------------------------------------------------------
def _database(url: str) -> dict[str, Any]:
    """Django DATABASES['default'] for DATABASE_URL (empty: embedded SQLite in DATA_DIR)."""
    if not url:
        url = f"sqlite:///{DATA_DIR / 'motcua.sqlite3'}"
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        shown = scheme or url[:40]
        raise ConfigError(
            f"DATABASE_URL: unsupported or malformed ({shown!r}); "
            "use postgres://user:password@host:5432/name or sqlite:///path/to/file.db"
        )
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url))
    except ValueError as exc:  # dj_database_url.ParseError and friends
        raise ConfigError(f"DATABASE_URL: cannot be parsed ({exc})") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        if not config.get("NAME"):
            raise ConfigError("DATABASE_URL: the SQLite URL names no file (sqlite:///path.db)")
        if config["NAME"] != ":memory:":
            folder = Path(config["NAME"]).resolve().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ConfigError(
                    f"DATABASE_URL: cannot create {folder} ({exc.strerror})"
                ) from None
        config["OPTIONS"] = {
            # WAL lets readers proceed while one writer commits; IMMEDIATE takes the write lock at
            # BEGIN so two writers queue instead of failing mid-transaction (dossier code counters).
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    else:
        if not config.get("NAME"):
            raise ConfigError("DATABASE_URL: the PostgreSQL URL names no database (…:5432/name)")
        config["CONN_MAX_AGE"] = read_int("MOTCUA_DB_CONN_MAX_AGE")
        config["CONN_HEALTH_CHECKS"] = True
        if read_bool("MOTCUA_DB_PREPARED_STATEMENTS"):
            # Hot paths (lookups, inbox counts) repeat the same few queries; planning them once
            # per connection saves most of their cost (see benchmarks/bench_stats.py).
            config["OPTIONS"] = {**config.get("OPTIONS", {}), "prepare_threshold": 5}
    config["ATOMIC_REQUESTS"] = False
    return config


DATABASES = {"default": _database(read_str("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Applications ----------------------------------------------------------------------------
MOTCUA_APPS = [
    "motcua.core",
    "motcua.organizations",
    "motcua.calendars",
    "motcua.catalog",
    "motcua.documents",
    "motcua.notifications",
    "motcua.integrations",
    "motcua.dossiers",
    "motcua.reports",
    "motcua.portal",
    "motcua.backoffice",
    "motcua.api",
    "motcua.config",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "ninja",
    "django_tasks_db",
    *MOTCUA_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "motcua.dossiers.policy.RememberScopesMiddleware",
]

ROOT_URLCONF = "motcua.config.urls"
FORM_RENDERER = "motcua.core.forms.MotcuaFormRenderer"
WSGI_APPLICATION = "motcua.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "motcua.core.context_processors.site",
            ],
        },
    }
]

# --- Users -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "backoffice:login"
LOGIN_REDIRECT_URL = "backoffice:inbox"
LOGOUT_REDIRECT_URL = "portal:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time -----------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [SRC_DIR / "locale"]
USE_I18N = True
# Legal time is Vietnam local time (UTC+7, no daylight saving); datetimes are stored aware (UTC).
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

# --- Static and uploaded files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
if not PRODUCTION:  # WhiteNoise warns when the folder is missing; development never fills it
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
# Production serves collected, hashed, pre-compressed files (`motcua collectstatic`, done by
# `motcua serve`); development serves straight from the apps, no collectstatic needed.
WHITENOISE_USE_FINDERS = not PRODUCTION

S3_BUCKET = read_str("MOTCUA_S3_BUCKET")
if S3_BUCKET:
    _default_storage: dict[str, Any] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": read_str("MOTCUA_S3_ENDPOINT_URL") or None,
            "region_name": read_str("MOTCUA_S3_REGION") or None,
            "access_key": read_str("MOTCUA_S3_ACCESS_KEY_ID") or None,
            "secret_key": read_str("MOTCUA_S3_SECRET_ACCESS_KEY") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": MEDIA_URL},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}


# --- Documents (attachments, official forms; docs/documents.md) ------------------------------
MOTCUA_MAX_UPLOAD_BYTES = read_int("MOTCUA_MAX_UPLOAD_MB") * 1024 * 1024
MOTCUA_CLAMD_SOCKET = read_str("MOTCUA_CLAMD_SOCKET")
try:
    MOTCUA_FORMS_2025_FROM = date.fromisoformat(read_str("MOTCUA_FORMS_2025_FROM"))
except ValueError:
    raise ConfigError(
        f"MOTCUA_FORMS_2025_FROM: {read_str('MOTCUA_FORMS_2025_FROM')!r} is not a date (YYYY-MM-DD)"
    ) from None


# --- Back office -----------------------------------------------------------------------------
try:
    MOTCUA_DUE_SOON_SHARE = float(read_str("MOTCUA_DUE_SOON_SHARE"))
except ValueError:
    raise ConfigError("MOTCUA_DUE_SOON_SHARE: not a number between 0 and 1") from None
if not 0 < MOTCUA_DUE_SOON_SHARE < 1:
    raise ConfigError("MOTCUA_DUE_SOON_SHARE: must be between 0 and 1 (e.g. 0.8)")


# --- Cache -----------------------------------------------------------------------------------
def _redis_url(name: str) -> str:
    url = read_str(name)
    if url and urlsplit(url).scheme not in {"redis", "rediss", "unix"}:
        raise ConfigError(f"{name}: {url!r} is not a redis://host:port/db URL")
    return url


CACHE_URL = _redis_url("MOTCUA_CACHE_URL")
CACHES: dict[str, dict[str, Any]] = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "motcua"}
    )
}

# --- Background work (Django Tasks API; ADR 0005) --------------------------------------------
BROKER_URL = _redis_url("MOTCUA_BROKER_URL")
if read_bool("MOTCUA_TASKS_IMMEDIATE"):
    TASKS: dict[str, dict[str, Any]] = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
    }
elif BROKER_URL:
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {"default": {"URL": BROKER_URL, "DEFAULT_TIMEOUT": 600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


# --- E-mail ----------------------------------------------------------------------------------
def _email(url: str) -> dict[str, Any]:
    """Django MAILERS entry for MOTCUA_EMAIL_URL (console:// or smtp[s]://user:pass@host:port)."""
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme in {"smtp", "smtps"}:
        query = parse_qs(parts.query)
        try:
            port = parts.port or (465 if parts.scheme == "smtps" else 587)
        except ValueError:
            raise ConfigError(f"MOTCUA_EMAIL_URL: bad port in {url!r}") from None
        return {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": parts.hostname or "localhost",
                "port": port,
                "username": unquote(parts.username or ""),
                "password": unquote(parts.password or ""),
                "use_tls": query.get("tls", ["0"])[0] in {"1", "true"},
                "use_ssl": parts.scheme == "smtps",
            },
        }
    raise ConfigError(f"MOTCUA_EMAIL_URL: {url!r} is not console:// or smtp://…")


MAILERS = {"default": _email(read_str("MOTCUA_EMAIL_URL"))}
DEFAULT_FROM_EMAIL = read_str("MOTCUA_EMAIL_FROM")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Citizen portal: drafts, ratings, sign-in, payments (docs/portal.md) ----------------------
MOTCUA_DRAFT_DAYS = read_int("MOTCUA_DRAFT_DAYS")
MOTCUA_RATING_EDIT_DAYS = read_int("MOTCUA_RATING_EDIT_DAYS")


def _test_double(name: str, value: str) -> bool:
    """A local stand-in for an outside system: on in development (auto), never in production."""
    if PRODUCTION and value == "true":
        raise ConfigError(f"{name}: the test stand-in cannot be enabled in production")
    return value == "true" or (value == "auto" and not PRODUCTION)


MOTCUA_TEST_IDP = _test_double("MOTCUA_TEST_IDP", read_str("MOTCUA_TEST_IDP"))
MOTCUA_TEST_PAYMENT_GATEWAY = _test_double(
    "MOTCUA_TEST_PAYMENT_GATEWAY", read_str("MOTCUA_TEST_PAYMENT_GATEWAY")
)
SANDBOX_IDP_ISSUER = f"{MOTCUA_SITE_URL}/idp-thu-nghiem/o"
if MOTCUA_TEST_IDP:
    from motcua.integrations.identity.keys import sandbox_signing_key

    INSTALLED_APPS += ["oauth2_provider"]
    OAUTH2_PROVIDER = {
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": sandbox_signing_key(DATA_DIR),
        "OIDC_ISS_ENDPOINT": SANDBOX_IDP_ISSUER,
        "OAUTH2_VALIDATOR_CLASS": "motcua.integrations.identity.sandbox.SandboxValidator",
        "SCOPES": {
            "openid": "OpenID Connect",
            "profile": "Họ và tên",
            "email": "Thư điện tử",
            "phone": "Số điện thoại",
            "vneid": "Số định danh cá nhân, xác thực VNeID",
        },
        "DEFAULT_SCOPES": ["openid"],
        "PKCE_REQUIRED": True,
        "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
        "ALLOW_LOCALHOST_LOOPBACK": True,
        "ACCESS_TOKEN_EXPIRE_SECONDS": 600,
    }

MOTCUA_OIDC_CLAIM_ID_NUMBER = read_str("MOTCUA_OIDC_CLAIM_ID_NUMBER")
MOTCUA_OIDC_CLAIM_VNEID = read_str("MOTCUA_OIDC_CLAIM_VNEID")
MOTCUA_OIDC_PROVIDER_NAME = read_str("MOTCUA_OIDC_PROVIDER_NAME")
OIDC_RP_CLIENT_ID = read_str("MOTCUA_OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = read_str("MOTCUA_OIDC_CLIENT_SECRET")
MOTCUA_OIDC_ISSUER = read_str("MOTCUA_OIDC_ISSUER")
OIDC_OP_AUTHORIZATION_ENDPOINT = read_str("MOTCUA_OIDC_AUTHORIZATION_URL")
OIDC_OP_TOKEN_ENDPOINT = read_str("MOTCUA_OIDC_TOKEN_URL")
OIDC_OP_USER_ENDPOINT = read_str("MOTCUA_OIDC_USERINFO_URL")
OIDC_OP_JWKS_ENDPOINT = read_str("MOTCUA_OIDC_JWKS_URL")
if OIDC_RP_CLIENT_ID:
    if not all(
        (
            OIDC_OP_AUTHORIZATION_ENDPOINT,
            OIDC_OP_TOKEN_ENDPOINT,
            OIDC_OP_USER_ENDPOINT,
            OIDC_OP_JWKS_ENDPOINT,
        )
    ):
        raise ConfigError("MOTCUA_OIDC_CLIENT_ID: set the provider's four endpoint URLs too")
elif MOTCUA_TEST_IDP:
    # The sandbox provider runs inside MotCua: endpoints are paths on the current origin.
    OIDC_RP_CLIENT_ID = "motcua-portal"
    OIDC_RP_CLIENT_SECRET = "motcua-sandbox-client-secret-not-for-production"  # noqa: S105
    MOTCUA_OIDC_ISSUER = SANDBOX_IDP_ISSUER
    OIDC_OP_AUTHORIZATION_ENDPOINT = "/idp-thu-nghiem/o/authorize/"
    OIDC_OP_TOKEN_ENDPOINT = "/idp-thu-nghiem/o/token/"  # noqa: S105 - a URL, not a secret
    OIDC_OP_USER_ENDPOINT = "/idp-thu-nghiem/o/userinfo/"
    OIDC_OP_JWKS_ENDPOINT = "/idp-thu-nghiem/o/.well-known/jwks.json"
MOTCUA_OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
MOTCUA_OIDC_SANDBOX = MOTCUA_TEST_IDP and not read_str("MOTCUA_OIDC_CLIENT_ID")
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
if MOTCUA_OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("motcua.integrations.identity.oidc.CitizenOIDCBackend")
    OIDC_RP_SIGN_ALGO = "RS256"
    OIDC_RP_SCOPES = read_str("MOTCUA_OIDC_SCOPES")
    OIDC_USE_PKCE = True
    OIDC_TIMEOUT = 15
    OIDC_AUTHENTICATION_CALLBACK_URL = "portal:oidc_callback"
    LOGIN_REDIRECT_URL_FAILURE = "/dang-nhap/?loi=oidc"

MOTCUA_VNPAY_TMN_CODE = read_str("MOTCUA_VNPAY_TMN_CODE")
MOTCUA_VNPAY_HASH_SECRET = read_str("MOTCUA_VNPAY_HASH_SECRET")
MOTCUA_VNPAY_PAY_URL = read_str("MOTCUA_VNPAY_PAY_URL")
MOTCUA_VNPAY_API_URL = read_str("MOTCUA_VNPAY_API_URL")
if MOTCUA_VNPAY_TMN_CODE and not MOTCUA_VNPAY_HASH_SECRET:
    raise ConfigError("MOTCUA_VNPAY_TMN_CODE: set MOTCUA_VNPAY_HASH_SECRET too")

# --- Digital signatures of results (docs/documents.md) ---------------------------------------
# The demo CA is a test stand-in: refused in production (like the test identity provider).
MOTCUA_SIGNING_DEMO_CA = _test_double("MOTCUA_SIGNING_DEMO_CA", read_str("MOTCUA_SIGNING_DEMO_CA"))
MOTCUA_SIGNING_PKCS12_DIR = read_str("MOTCUA_SIGNING_PKCS12_DIR")
MOTCUA_SIGNING_PKCS12_FILE = read_str("MOTCUA_SIGNING_PKCS12_FILE")
MOTCUA_SIGNING_PKCS12_PASSWORD = read_str("MOTCUA_SIGNING_PKCS12_PASSWORD")
MOTCUA_SIGNING_TRUST_ROOTS = read_str("MOTCUA_SIGNING_TRUST_ROOTS")
if MOTCUA_SIGNING_PKCS12_DIR and not Path(MOTCUA_SIGNING_PKCS12_DIR).is_dir():
    raise ConfigError(f"MOTCUA_SIGNING_PKCS12_DIR: {MOTCUA_SIGNING_PKCS12_DIR!r} is not a folder")
for _name in ("MOTCUA_SIGNING_PKCS12_FILE", "MOTCUA_SIGNING_TRUST_ROOTS"):
    if read_str(_name) and not Path(read_str(_name)).is_file():
        raise ConfigError(f"{_name}: {read_str(_name)!r} is not a file")
if (MOTCUA_SIGNING_PKCS12_DIR or MOTCUA_SIGNING_PKCS12_FILE) and not MOTCUA_SIGNING_TRUST_ROOTS:
    raise ConfigError(
        "MOTCUA_SIGNING_TRUST_ROOTS: name the CA certificates that issued the PKCS#12 "
        "certificates, or every signed result would show as untrusted"
    )

# --- Security --------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day at the counter
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# All assets are served by us (no CDN, no third-party requests): a strict policy.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
if read_bool("MOTCUA_BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_SSL_REDIRECT = read_bool("MOTCUA_SSL_REDIRECT")
    SECURE_REDIRECT_EXEMPT = [r"^api/v1/health$"]
# HSTS for subdomains and the browser preload list are decisions for the whole government domain
# (e.g. angiang.gov.vn), taken at its proxy, not by one application on it.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]

# --- Logging ---------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "motcua": {
            "handlers": ["console"],
            "level": read_str("MOTCUA_LOG_LEVEL"),
            "propagate": False,
        },
        "django.tasks": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # pyHanko logs every untrusted or broken signature it checks, with a traceback; those
        # are findings that documents.signing reports to the user, not server problems.
        "pyhanko": {"level": "ERROR"},
        "pyhanko_certvalidator": {"level": "ERROR"},
    },
}
