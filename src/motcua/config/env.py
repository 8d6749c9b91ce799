"""Environment variables: the only way MotCua is configured.

Every variable MotCua reads is declared once in ``VARIABLES`` below, with its type, default and
a one-line description. ``settings.py`` reads them through :func:`read`, which returns typed values
and raises :class:`ConfigError` with a one-line message on bad input (the ``motcua`` command prints
it and exits, no traceback). ``docs/configuration.md`` is generated from this table
(``motcua config-doc``) and a test fails when the two drift apart.

Secrets may also be given as ``<NAME>_FILE`` (a path whose content is the value), as container
orchestrators mount them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Kind = Literal["str", "bool", "int", "list", "choice", "url", "path", "secret"]

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(Exception):
    """A configuration value is missing or malformed; the message is one line for the operator."""


@dataclass(frozen=True)
class Variable:
    """One environment variable MotCua understands."""

    name: str
    kind: Kind
    default: str
    help: str
    choices: tuple[str, ...] = ()
    group: str = "General"

    @property
    def accepts_file(self) -> bool:
        return self.kind == "secret"


VARIABLES: tuple[Variable, ...] = (
    # --- General ---------------------------------------------------------------------------
    Variable(
        "MOTCUA_ENV",
        "choice",
        "development",
        "Runtime mode. `production` refuses to start with DEBUG on, the development secret key or "
        "no allowed hosts, and turns on secure cookies.",
        choices=("development", "production"),
    ),
    Variable(
        "MOTCUA_SECRET_KEY",
        "secret",
        "",
        "Django secret key (signing sessions, CSRF, password reset links). Required in production; "
        "a fixed development key is used otherwise.",
    ),
    Variable(
        "MOTCUA_DEBUG",
        "bool",
        "false",
        "Django debug pages. Never in production (start-up is refused).",
    ),
    Variable(
        "MOTCUA_ALLOWED_HOSTS",
        "list",
        "",
        "Comma-separated host names this site answers to. Default in development: "
        "`localhost,127.0.0.1,[::1],testserver`. Required in production.",
    ),
    Variable(
        "MOTCUA_CSRF_TRUSTED_ORIGINS",
        "list",
        "",
        "Comma-separated origins (`https://dichvucong.example.gov.vn`) trusted for form posts, "
        "when served behind a proxy on another origin.",
    ),
    Variable(
        "MOTCUA_SITE_URL",
        "url",
        "http://127.0.0.1:8000",
        "Public base URL of the citizen portal, used in e-mails and in the lookup QR codes printed "
        "on official forms.",
    ),
    Variable(
        "MOTCUA_DATA_DIR",
        "path",
        "var",
        "Folder for embedded data: the SQLite database, uploaded files (when no S3 bucket is set) "
        "and collected static files. Relative paths are relative to the current directory.",
    ),
    Variable(
        "MOTCUA_BEHIND_TLS_PROXY",
        "bool",
        "false",
        "Trust the `X-Forwarded-Proto` header of a TLS-terminating reverse proxy (nginx) so "
        "Django knows requests are HTTPS.",
    ),
    Variable(
        "MOTCUA_SSL_REDIRECT",
        "bool",
        "true",
        "In production, redirect plain-HTTP requests to HTTPS (the health probe "
        "`/api/v1/health` is exempt). Turn off only when the proxy already redirects.",
    ),
    Variable(
        "MOTCUA_DUE_SOON_SHARE",
        "str",
        "0.8",
        'Share of a dossier\'s time limit after which the back office shows it as "due soon" '
        "(a number between 0 and 1).",
    ),
    Variable(
        "MOTCUA_LOG_LEVEL",
        "choice",
        "INFO",
        "Log level of the `motcua` loggers.",
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
    ),
    # --- Database ---------------------------------------------------------------------------
    Variable(
        "DATABASE_URL",
        "url",
        "",
        "Database. Empty: embedded SQLite at `$MOTCUA_DATA_DIR/motcua.sqlite3` (WAL mode). "
        "`postgres://user:password@host:5432/name` for PostgreSQL >= 15; "
        "`sqlite:///relative.db` or `sqlite:////absolute/path.db` for another SQLite file.",
        group="Database",
    ),
    Variable(
        "MOTCUA_DB_PREPARED_STATEMENTS",
        "bool",
        "true",
        "Let PostgreSQL plan a repeated query once per connection (psycopg prepares it after five "
        "uses). Turn off behind a pgbouncer in transaction pooling mode.",
        group="Database",
    ),
    Variable(
        "MOTCUA_DB_CONN_MAX_AGE",
        "int",
        "60",
        "Seconds a PostgreSQL connection is kept open between requests (0 closes it after each).",
        group="Database",
    ),
    # --- Background work --------------------------------------------------------------------
    Variable(
        "MOTCUA_BROKER_URL",
        "url",
        "",
        "Task broker. Empty: tasks are stored in the database and run by `motcua worker` "
        "(django-tasks-db). `redis://host:6379/0`: tasks go through Redis (RQ) and "
        "`motcua worker` consumes them.",
        group="Background work",
    ),
    Variable(
        "MOTCUA_TASKS_IMMEDIATE",
        "bool",
        "false",
        "Run tasks inline in the calling process instead of queueing them (tests, debugging).",
        group="Background work",
    ),
    # --- Cache ------------------------------------------------------------------------------
    Variable(
        "MOTCUA_CACHE_URL",
        "url",
        "",
        "Cache and rate-limit store. Empty: per-process memory. `redis://host:6379/1`: Redis, "
        "shared by all web nodes (required with more than one node).",
        group="Cache",
    ),
    # --- Files ------------------------------------------------------------------------------
    Variable(
        "MOTCUA_S3_BUCKET",
        "str",
        "",
        "Bucket for uploaded and generated files. Empty: files are stored under "
        "`$MOTCUA_DATA_DIR/media`.",
        group="Files",
    ),
    Variable(
        "MOTCUA_S3_ENDPOINT_URL",
        "url",
        "",
        "Endpoint of an S3-compatible object store (MinIO, Ceph, a provider's S3). "
        "Empty: Amazon S3.",
        group="Files",
    ),
    Variable(
        "MOTCUA_S3_REGION",
        "str",
        "",
        "Region of the bucket, if the store needs one.",
        group="Files",
    ),
    Variable("MOTCUA_S3_ACCESS_KEY_ID", "secret", "", "Access key for the bucket.", group="Files"),
    Variable(
        "MOTCUA_S3_SECRET_ACCESS_KEY", "secret", "", "Secret key for the bucket.", group="Files"
    ),
    # --- Documents --------------------------------------------------------------------------
    Variable(
        "MOTCUA_MAX_UPLOAD_MB",
        "int",
        "20",
        "Largest file accepted as a dossier attachment, in megabytes (MB = 1,048,576 bytes).",
        group="Documents",
    ),
    Variable(
        "MOTCUA_CLAMD_SOCKET",
        "str",
        "",
        "Unix socket of a ClamAV daemon scanning uploads for viruses. Empty: the usual places "
        "(`/run/clamav/clamd.ctl`, `/var/run/clamav/clamd.ctl`), then a `clamdscan` program on "
        "the PATH; with none found, attachments are stored marked *not scanned*.",
        group="Documents",
    ),
    Variable(
        "MOTCUA_FORMS_2025_FROM",
        "str",
        "2025-09-15",
        "Issue date (YYYY-MM-DD) from which printed official forms use the TT 03/2025/TT-VPCP "
        "form set instead of TT 01/2018/TT-VPCP. Default: the circular's issue date (its "
        "effective date was not found; ADR 0012).",
        group="Documents",
    ),
    # --- Digital signatures of results (docs/documents.md) -----------------------------------
    Variable(
        "MOTCUA_SIGNING_DEMO_CA",
        "choice",
        "auto",
        'The local demo certification authority ("MotCua Demo CA — không có giá trị pháp lý"): '
        "one certificate per issuing agency, generated on first use under "
        "`$MOTCUA_DATA_DIR/signing-demo/`, signs PDF results that no configured certificate "
        "covers. `auto`: on in development, off in production; `true` is refused in production.",
        choices=("auto", "true", "false"),
        group="Digital signatures",
    ),
    Variable(
        "MOTCUA_SIGNING_PKCS12_DIR",
        "str",
        "",
        "Folder of the agencies' own certificates, one PKCS#12 file per agency named after its "
        "code: `<code>.p12` (or `.pfx`), e.g. `000.00.00.H56.p12`, else `<QĐ 20/2020 code>.p12`. "
        "Results of an agency with a file here are signed with it.",
        group="Digital signatures",
    ),
    Variable(
        "MOTCUA_SIGNING_PKCS12_FILE",
        "str",
        "",
        "One PKCS#12 file (e.g. the provincial People's Committee's organisation certificate) "
        "signing the results of every agency without its own file in "
        "`MOTCUA_SIGNING_PKCS12_DIR`. Empty, with no folder and no demo CA: PDF results are "
        "stored unsigned and shown as such.",
        group="Digital signatures",
    ),
    Variable(
        "MOTCUA_SIGNING_PKCS12_PASSWORD",
        "secret",
        "",
        "Password of the PKCS#12 files (the same for all of them).",
        group="Digital signatures",
    ),
    Variable(
        "MOTCUA_SIGNING_TRUST_ROOTS",
        "str",
        "",
        "PEM file of the root (and intermediate) certificates of the certification authorities "
        "whose signatures are trusted when results are checked, e.g. the Government's "
        "specialised CA (Ban Cơ yếu Chính phủ) and the national root CA. In development the demo "
        "CA is trusted too.",
        group="Digital signatures",
    ),
    # --- E-mail -----------------------------------------------------------------------------
    Variable(
        "MOTCUA_EMAIL_URL",
        "url",
        "console://",
        "Outgoing e-mail. `console://` prints messages to the log; "
        "`smtp://user:password@host:587?tls=1` sends through an SMTP relay.",
        group="E-mail",
    ),
    Variable(
        "MOTCUA_EMAIL_FROM",
        "str",
        "MotCua <no-reply@localhost>",
        "Sender address of notification e-mails.",
        group="E-mail",
    ),
    # --- Citizen portal ---------------------------------------------------------------------
    Variable(
        "MOTCUA_DRAFT_DAYS",
        "int",
        "30",
        "Days an online application saved as a draft is kept after its last change; an expired "
        "draft can no longer be submitted (the citizen is told and starts again).",
        group="Citizen portal",
    ),
    Variable(
        "MOTCUA_RATING_EDIT_DAYS",
        "int",
        "7",
        "Days during which a citizen may change the satisfaction rating of a dossier.",
        group="Citizen portal",
    ),
    # --- Citizen sign-in (OpenID Connect) ---------------------------------------------------
    Variable(
        "MOTCUA_TEST_IDP",
        "choice",
        "auto",
        "The local test identity provider (a real OpenID Connect provider with fictional people, "
        "under `/idp-thu-nghiem/`), used by the portal when no real provider is configured. "
        "`auto`: on in development, off in production; `true` is refused in production.",
        choices=("auto", "true", "false"),
        group="Citizen sign-in (OpenID Connect)",
    ),
    Variable(
        "MOTCUA_OIDC_CLIENT_ID",
        "str",
        "",
        "Client id of the portal at the citizens' OpenID Connect provider (the national SSO / "
        "VNeID). Empty: the test provider when it is on, else no provider sign-in.",
        group="Citizen sign-in (OpenID Connect)",
    ),
    Variable(
        "MOTCUA_OIDC_CLIENT_SECRET",
        "secret",
        "",
        "Client secret of the portal at the provider.",
        group="Citizen sign-in (OpenID Connect)",
    ),
    Variable(
        "MOTCUA_OIDC_ISSUER",
        "url",
        "",
        "The provider's issuer identifier; ID tokens from another issuer are refused.",
        group="Citizen sign-in (OpenID Connect)",
    ),
    Variable(
        "MOTCUA_OIDC_AUTHORIZATION_URL",
        "url",
        "",
        "The provider's authorization endpoint.",
        group="Citizen sign-in (OpenID Connect)",
    ),
    Variable(
        "MOTCUA_OIDC_TOKEN_URL",
        "url",
        "",
        "The provider's token endpoint.",
        group="Citizen sign-in (OpenID Connect)",
    ),
    Variable(
        "MOTCUA_OIDC_USERINFO_URL",
        "url",
        "",
        "The provider's userinfo endpoint.",
        group="Citizen sign-in (OpenID Connect)",
    ),
    Variable(
        "MOTCUA_OIDC_JWKS_URL",
        "url",
        "",
        "The provider's JSON Web Key Set (ID tokens are RS256-signed).",
        group="Citizen sign-in (OpenID Connect)",
    ),
    Variable(
        "MOTCUA_OIDC_SCOPES",
        "str",
        "openid profile email phone vneid",
        "Scopes asked of the provider (space-separated).",
        group="Citizen sign-in (OpenID Connect)",
    ),
    Variable(
        "MOTCUA_OIDC_CLAIM_ID_NUMBER",
        "str",
        "national_id",
        "Claim carrying the citizen identity number (CCCD / personal identification number).",
        group="Citizen sign-in (OpenID Connect)",
    ),
    Variable(
        "MOTCUA_OIDC_CLAIM_VNEID",
        "str",
        "vneid_verified",
        "Boolean claim saying the account was verified with VNeID (national flag "
        "TaiKhoanDuocXacThucVoiVNeID).",
        group="Citizen sign-in (OpenID Connect)",
    ),
    Variable(
        "MOTCUA_OIDC_PROVIDER_NAME",
        "str",
        "VNeID / Cổng Dịch vụ công quốc gia",
        "The provider's name on the portal's sign-in button.",
        group="Citizen sign-in (OpenID Connect)",
    ),
    # --- Payments ---------------------------------------------------------------------------
    Variable(
        "MOTCUA_TEST_PAYMENT_GATEWAY",
        "choice",
        "auto",
        "The local payment gateway simulator (the gateway side of the VNPay 2.1.0 protocol, "
        "under `/cong-thanh-toan-thu-nghiem/`), used when no merchant account is configured. "
        "`auto`: on in development, off in production; `true` is refused in production.",
        choices=("auto", "true", "false"),
        group="Payments",
    ),
    Variable(
        "MOTCUA_VNPAY_TMN_CODE",
        "str",
        "",
        "Merchant (website) code at VNPay (`vnp_TmnCode`). Empty: the simulator when it is on, "
        "else no online payment.",
        group="Payments",
    ),
    Variable(
        "MOTCUA_VNPAY_HASH_SECRET",
        "secret",
        "",
        "The merchant's secret for the HMAC-SHA512 `vnp_SecureHash`.",
        group="Payments",
    ),
    Variable(
        "MOTCUA_VNPAY_PAY_URL",
        "url",
        "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html",
        "VNPay's payment page (the sandbox by default). Register the IPN URL "
        "`<site>/thanh-toan/vnpay/ipn/` with VNPay.",
        group="Payments",
    ),
    Variable(
        "MOTCUA_VNPAY_API_URL",
        "url",
        "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction",
        "VNPay's merchant API (the sandbox by default): `querydr`, used by the reconciliation of "
        "pending payments (`motcua payments-reconcile`, the scheduler every 15 minutes).",
        group="Payments",
    ),
    # --- Serving ----------------------------------------------------------------------------
    Variable(
        "MOTCUA_BIND",
        "str",
        "127.0.0.1:8000",
        "Address `motcua serve` listens on (`host:port`).",
        group="Serving",
    ),
    Variable(
        "MOTCUA_WEB_WORKERS",
        "int",
        "2",
        "Web worker processes started by `motcua serve` (gunicorn).",
        group="Serving",
    ),
    Variable(
        "MOTCUA_SERVE_WORKER",
        "bool",
        "true",
        "Whether `motcua serve` also runs the background task worker in a child process "
        "(turn off when workers run as separate services).",
        group="Serving",
    ),
)

_BY_NAME = {v.name: v for v in VARIABLES}


def _raw(var: Variable, environ: Mapping[str, str]) -> str:
    value = environ.get(var.name)
    if var.accepts_file:
        file_name = environ.get(f"{var.name}_FILE")
        if file_name:
            if value:
                raise ConfigError(f"{var.name}: set either {var.name} or {var.name}_FILE, not both")
            try:
                return Path(file_name).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ConfigError(
                    f"{var.name}_FILE: cannot read {file_name!r} ({exc.strerror})"
                ) from None
    return var.default if value is None else value.strip()


def read(name: str, environ: Mapping[str, str] | None = None) -> object:
    """Return the typed value of variable ``name``; raise ConfigError with a one-line message."""
    var = _BY_NAME[name]
    raw = _raw(var, os.environ if environ is None else environ)
    match var.kind:
        case "bool":
            lowered = raw.lower()
            if lowered in _TRUE:
                return True
            if lowered in _FALSE:
                return False
            raise ConfigError(f"{name}: {raw!r} is not a yes/no value (use 1/0, true/false)")
        case "int":
            try:
                number = int(raw)
            except ValueError:
                raise ConfigError(f"{name}: {raw!r} is not a whole number") from None
            if number < 0:
                raise ConfigError(f"{name}: {raw!r} must not be negative")
            return number
        case "list":
            return [item.strip() for item in raw.split(",") if item.strip()]
        case "choice":
            if raw not in var.choices:
                raise ConfigError(f"{name}: {raw!r} is not one of {', '.join(var.choices)}")
            return raw
        case "path":
            return Path(raw or ".").expanduser()
        case _:
            return raw


def read_str(name: str, environ: Mapping[str, str] | None = None) -> str:
    value = read(name, environ)
    assert isinstance(value, str)
    return value


def read_bool(name: str, environ: Mapping[str, str] | None = None) -> bool:
    value = read(name, environ)
    assert isinstance(value, bool)
    return value


def read_int(name: str, environ: Mapping[str, str] | None = None) -> int:
    value = read(name, environ)
    assert isinstance(value, int)
    return value


def read_list(name: str, environ: Mapping[str, str] | None = None) -> list[str]:
    value = read(name, environ)
    assert isinstance(value, list)
    return value


def read_path(name: str, environ: Mapping[str, str] | None = None) -> Path:
    value = read(name, environ)
    assert isinstance(value, Path)
    return value


def markdown() -> str:
    """The configuration reference as Markdown (the content of docs/configuration.md)."""
    lines = [
        "# Configuration",
        "",
        "<!-- Generated by `motcua config-doc` from src/motcua/config/env.py; "
        "a test fails on drift. -->",
        "",
        "MotCua is configured only through environment variables. With none set, it runs embedded:",
        "SQLite in WAL mode, files in a local folder, tasks in the database, cache in memory.",
        "Each part switches to its production form by setting the variables below.",
        "Variables marked *secret* may instead be given as `<NAME>_FILE`, the path of a file",
        "holding the value. A malformed value stops start-up with a one-line message.",
        "",
    ]
    groups: dict[str, list[Variable]] = {}
    for var in VARIABLES:
        groups.setdefault(var.group, []).append(var)
    for group, variables in groups.items():
        lines += [f"## {group}", "", "| Variable | Default | Meaning |", "| --- | --- | --- |"]
        for var in variables:
            default = f"`{var.default}`" if var.default else "(empty)"
            meaning = var.help
            if var.choices:
                meaning += " One of: " + ", ".join(f"`{c}`" for c in var.choices) + "."
            if var.accepts_file:
                meaning += " *Secret* (also `_FILE`)."
            lines.append(f"| `{var.name}` | {default} | {meaning} |")
        lines.append("")
    return "\n".join(lines)
