"""Test helpers shared by the suite: databases per backend, forms with CSRF, practice factories."""

from __future__ import annotations

import gc
import os
import re
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade

from hub import create_app
from hub.exchange.importer import import_folder
from hub.extensions import db
from hub.models import User
from hub.search.sync import get_index

PROJECT = Path(__file__).resolve().parent.parent
CONTENT = PROJECT / "content"
DEMO_PASSWORD = "praxis-demo"
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/test"


@dataclass
class Backend:
    """One database the suite runs against; PostgreSQL gets a schema of its own per run."""

    name: str
    url: str
    cleanup: Any = None


def postgres_admin_url() -> str:
    return os.environ.get("HUB_TEST_DATABASE_URL") or DEFAULT_PG_URL


def postgres_schema_url(schema: str) -> str:
    base = postgres_admin_url()
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options={quote(f'-csearch_path={schema}')}"


def create_postgres_schema() -> tuple[str, Any]:
    """A fresh schema in the test database; returns (url, drop function). Raises when unreachable."""
    schema = f"hub_test_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(_driver_url(postgres_admin_url()), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with engine.connect() as connection:
            connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()

    return postgres_schema_url(schema), drop


def postgres_required() -> bool:
    """In CI (``CI=true``) or with ``HUB_REQUIRE_POSTGRES=1`` the PostgreSQL half must run."""
    ci = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
    return ci or os.environ.get("HUB_REQUIRE_POSTGRES", "").strip() == "1"


def postgres_unavailable(reason: str) -> None:
    """Skip the PostgreSQL leg with the reason — or fail it where PostgreSQL is required, so that a
    run whose database half could not run is never green."""
    if postgres_required():
        pytest.fail(f"{reason} (required: CI or HUB_REQUIRE_POSTGRES=1)", pytrace=False)
    pytest.skip(reason)  # the postgres leg only, and only where PostgreSQL is not required


def postgres_unreachable_reason() -> str | None:
    try:
        engine = sa.create_engine(_driver_url(postgres_admin_url()), connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # noqa: BLE001 - any failure means: skip that leg, say why
        return f"PostgreSQL not reachable at {postgres_admin_url()}: {str(error).splitlines()[0]}"
    return None


def _driver_url(url: str) -> str:
    return re.sub(r"^postgresql://", "postgresql+psycopg://", url)


def make_app(database_url: str, tmp: Path, **extra: Any) -> Flask:
    config = {
        "DATABASE_URL": database_url,
        "INDEX_DIR": str(tmp / "index"),
        "UPLOAD_DIR": str(tmp / "uploads"),
        "INSTANCE_DIR": str(tmp / "instance"),
        "SECRET_KEY": "test-secret-key",
        "TESTING": True,
        "LOGIN_MAX_ATTEMPTS": 5,
        "SEARCH_ANONYMOUS_PER_MINUTE": 0,  # tests search far more often; the limit has its own test
        "ATTACHMENT_EXTRACT_IN_BACKGROUND": False,  # text extraction inside the test's transaction
    }
    config.update(extra)
    return create_app(config)


def prepare_database(app: Flask, content: Path = CONTENT) -> None:
    """Migrate to head with Alembic, load the demo corpus and give demo accounts their password."""
    with app.app_context():
        upgrade()
        import_folder(content)
        for user in db.session.scalars(sa.select(User)):
            user.set_password(DEMO_PASSWORD)
        db.session.commit()


def csrf_token(client: FlaskClient, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def login(client: FlaskClient, username: str, password: str = DEMO_PASSWORD) -> Any:
    token = csrf_token(client, "/login")
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def logout(client: FlaskClient) -> None:
    token = csrf_token(client, "/logout")
    client.post("/logout", data={"csrf_token": token})


def form_fields(client: FlaskClient, url: str, selector: str = "form.editor") -> dict[str, Any]:
    """The fields of a form on ``url`` as a browser would send them back unchanged."""
    return fields_of(BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser"), selector)


def fields_of(page: Any, selector: str = "form.editor") -> dict[str, Any]:
    """The fields of a form in a parsed page as a browser would send them back unchanged."""
    form = page.select_one(selector)
    assert form is not None, f"no {selector} in the page"
    data: dict[str, Any] = {}
    for element in form.select("input, textarea, select"):
        name = element.get("name")
        if not name or element.get("type") in ("file", "submit"):
            continue
        if element.name == "textarea":
            data[name] = element.text.removeprefix("\n")
        elif element.name == "select":
            chosen = element.select_one("option[selected]") or element.select_one("option")
            data[name] = chosen["value"] if chosen else ""
        elif element.get("type") in ("checkbox", "radio"):
            if element.has_attr("checked"):
                data.setdefault(name, []).append(element.get("value", "y"))
        else:
            data[name] = element.get("value", "")
    return data


XSS_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "xss-payload-list.txt"


def xss_payloads() -> list[str]:
    """The 6,600 XSS payloads of ``../shared/data`` (beside the project), one per non-empty line."""
    if not XSS_CORPUS.exists():
        pytest.fail(f"XSS corpus missing: {XSS_CORPUS}")
    return [line for line in XSS_CORPUS.read_text("utf-8", errors="replace").splitlines() if line.strip()]


def dispose_apps(apps: list[Flask]) -> None:
    """Close the search index and the database connections of throw-away apps, then collect what they
    left in reference cycles (see ``collect_garbage_quietly``)."""
    for app in apps:
        get_index(app).close()
        with app.app_context():
            db.engine.dispose()
    apps.clear()
    collect_garbage_quietly()


def collect_garbage_quietly() -> None:
    """Collect what a throw-away app left in reference cycles now, at its own teardown: a database
    connection in such a cycle would otherwise be collected — and reported as unclosed — in
    whichever test runs next, on another backend, where nobody can tell where it came from."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()
