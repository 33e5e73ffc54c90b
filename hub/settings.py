"""Default settings of Praxis-Hub.

Every setting can be overridden from the environment as ``HUB_<NAME>`` (for example
``HUB_DATABASE_URL``, ``HUB_INDEX_DIR``, ``HUB_SECRET_KEY``). Values from the environment are
parsed as the type of the default (bool, int, float, str). Paths left empty are derived from the
instance folder (``resolve_paths``): the database, the search index and uploads live below it.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask.sansio.scaffold import find_package

PACKAGE_DIR = Path(__file__).resolve().parent


def default_instance_dir() -> str:
    """Flask's own rule: ``<checkout>/instance`` from a checkout (or an editable install),
    ``<sys.prefix>/var/praxis-hub-instance`` when installed — never inside site-packages."""
    prefix, package_path = find_package("hub")
    if prefix is None:
        return str(Path(package_path) / "instance")
    return str(Path(prefix) / "var" / "praxis-hub-instance")


def default_content_dir() -> str:
    """The demo corpus: package data in a wheel (``hub/demo_content``), ``content/`` in a checkout."""
    packaged = PACKAGE_DIR / "demo_content"
    return str(packaged if packaged.is_dir() else PACKAGE_DIR.parent / "content")


# --- storage -----------------------------------------------------------------------------------
INSTANCE_DIR = ""  # secret key, database file, index, uploads, mails written without SMTP
DATABASE_URL = ""  # empty: sqlite:///<instance>/hub.sqlite3
INDEX_DIR = ""  # empty: <instance>/search_index
UPLOAD_DIR = ""  # empty: <instance>/uploads
CONTENT_DIR = ""  # empty: the demo corpus shipped with the hub
ATTACHMENT_MAX_MB = 25  # largest file a practice may carry
ATTACHMENT_MAX_PER_PRACTICE = 20  # files per practice
ATTACHMENT_MAX_TOTAL_MB = 100  # all files of one practice together
ATTACHMENT_TEXT_CHARS = 200_000  # text indexed per file (a longer file is indexed from its start)
ATTACHMENT_TEXT_PAGES = 300  # pages, slides (or 100 spreadsheet rows) read per file
ATTACHMENT_EXTRACT_SECONDS = 20  # CPU seconds one file's text extraction may take
ATTACHMENT_EXTRACT_MEMORY_MB = 1024  # address space of the extracting process
ATTACHMENT_EXTRACT_IN_BACKGROUND = True  # extract after the commit in a thread (tests: in the request)

# --- security ----------------------------------------------------------------------------------
# A random key is generated per start when none is configured: sessions then do not survive a
# restart, which is safe for development. Production sets HUB_SECRET_KEY.
SECRET_KEY = ""
SESSION_COOKIE_SECURE = False  # cookies are Secure over HTTPS anyway; 1 keeps them off plain HTTP too
PROXIES = 0  # trusted reverse proxies in front of the hub: their X-Forwarded-Proto/-For/-Host count
PREFERRED_URL_SCHEME = "http"
LOGIN_MAX_ATTEMPTS = 5  # failed logins per account and client within the window
LOGIN_MAX_ATTEMPTS_PER_CLIENT = 20  # failed logins per client (any accounts) within the window
LOGIN_MAX_ATTEMPTS_GLOBAL = 200  # failed logins in the whole hub within the window
LOGIN_WINDOW_SECONDS = 300
SESSION_IDLE_HOURS = 8  # a login unused this long ends ("stay logged in" then starts a new one)
SESSION_MAX_DAYS = 30  # absolute lifetime of a login, "stay logged in" included (at most 30 days)
PASSWORD_RESET_MINUTES = 60  # a "forgot password" link is valid this long (and once)
PASSWORD_RESET_MAX_PER_ADDRESS = 3  # reset mails requested per e-mail address within the window
PASSWORD_RESET_MAX_PER_CLIENT = 10  # reset mails requested per client address within the window
PASSWORD_RESET_WINDOW_SECONDS = 3600
REQUIRE_2FA = ""  # "admin" or "coordinator": those roles (coordinator: and admins) need a second factor
INVITATION_DAYS = 7  # an invitation link is valid this long (and once)
# Single sign-on with OpenID Connect (hub/auth/oidc.py): on when issuer and client id are set.
OIDC_ISSUER = ""  # e.g. https://login.example.org/realms/zz; its discovery document is read from there
OIDC_CLIENT_ID = ""
OIDC_CLIENT_SECRET = ""
OIDC_NAME = ""  # the provider's name on the login button ("Mit … anmelden"); empty: the issuer's host
OIDC_SCOPES = "openid email profile"
OIDC_AUTO_CREATE = False  # unknown people with a verified e-mail get a reader account
OIDC_CENTRE_CLAIM = ""  # claim naming the centre of an account made by OIDC_AUTO_CREATE (empty: none)
OIDC_CENTRE_MAP = ""  # "claim value=centre-slug;…"; values not listed count when they are a centre's slug
OIDC_TIMEOUT_SECONDS = 10.0  # each request to the provider (discovery, keys, token)
PASSWORD_LOGIN = True  # 0: only single sign-on; password login and password reset are off
# Demo password given to the accounts of the demo corpus by `hub init` (never to other imports).
DEMO_PASSWORD = "praxis-demo"  # noqa: S105 - documented demo password, set only by `hub init`

# --- mail (digests) ----------------------------------------------------------------------------
# Without an SMTP host, mails are written as .eml files into instance/mail/.
SMTP_HOST = ""
SMTP_PORT = 587
SMTP_USER = ""
SMTP_PASSWORD = ""
SMTP_STARTTLS = True
SMTP_FROM = "Praxis-Hub <praxis-hub@localhost>"
BASE_URL = "http://127.0.0.1:5000"  # for links in mails

# --- behaviour ---------------------------------------------------------------------------------
DEFAULT_LOCALE = "de"
LOCALES = "de,en"
PER_PAGE = 20
REVIEW_INTERVAL_MONTHS = 12
SEARCH_LOCK_TIMEOUT = 10.0
SEARCH_MERGE_AT = 8  # this many index segments of like size are merged into one in a background thread
API_RATE_LIMIT = 120  # requests per token and minute
SEARCH_SYNC_ON_START = True  # apply pending outbox rows (or build an empty index) when the app starts
SEARCH_SYNC_AFTER_COMMIT = True  # apply outbox rows right after the commit that wrote them
SEARCH_PER_PAGE_MAX = 100
SEARCH_ANONYMOUS_PER_MINUTE = 60  # searches with words per client address, minute and worker (0: no limit)
SEARCH_LOG_RETENTION_DAYS = 180  # `hub searchlog prune` deletes older search log entries (0: keep all)

# --- operations --------------------------------------------------------------------------------
LOG_LEVEL = "INFO"
LOG_FORMAT = "text"  # text | json
METRICS_TOKEN = ""  # bearer token for GET /metrics; empty: /metrics answers 404
READY_OUTBOX_LAG_SECONDS = 300  # /readyz fails when the oldest unapplied outbox row is older
SCHEDULE_INDEX_CHECK_MINUTES = 60  # `hub schedule`: index check (and repair) every this many minutes
BACKUP_DIR = ""  # `hub schedule` writes a daily backup below it when set
BACKUP_KEEP = 7  # backup generations kept in BACKUP_DIR



def _coerce(raw: str, default: object) -> object:
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw


def settings(environ: os._Environ[str] | dict[str, str] | None = None) -> dict[str, object]:
    """The defaults above, each overridden by ``HUB_<NAME>`` from the environment."""
    environ = os.environ if environ is None else environ
    values: dict[str, object] = {}
    for name, default in globals().items():
        if not name.isupper() or name == "PACKAGE_DIR" or name.startswith("_"):
            continue
        raw = environ.get(f"HUB_{name}")
        values[name] = default if raw is None else _coerce(raw, default)
    return values


def resolve_paths(values: dict[str, object]) -> dict[str, object]:
    """Fill the paths left empty: everything the hub writes lives below the instance folder."""
    instance = Path(str(values.get("INSTANCE_DIR") or default_instance_dir()))
    values["INSTANCE_DIR"] = str(instance)
    values["DATABASE_URL"] = values.get("DATABASE_URL") or f"sqlite:///{instance / 'hub.sqlite3'}"
    values["INDEX_DIR"] = values.get("INDEX_DIR") or str(instance / "search_index")
    values["UPLOAD_DIR"] = values.get("UPLOAD_DIR") or str(instance / "uploads")
    values["CONTENT_DIR"] = values.get("CONTENT_DIR") or default_content_dir()
    return values
