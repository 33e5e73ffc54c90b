"""Browser tests: Debian's Chromium driven by Playwright against a real server on 127.0.0.1.

The server runs the real app (werkzeug, threaded) on its own database per backend — a SQLite file
or a PostgreSQL schema of its own — with the demo corpus loaded and committed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from hub.extensions import db
from tests.support import (
    collect_garbage_quietly,
    create_postgres_schema,
    make_app,
    postgres_unavailable,
    postgres_unreachable_reason,
    prepare_database,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


LIVE_INSTANCES: dict[str, Path] = {}  # live server URL -> its instance folder (mail/ holds the .eml files)
LIVE_APPS: dict[str, object] = {}  # live server URL -> its app (tests that switch a setting restore it)


@pytest.fixture
def live_mail(live_server: str) -> Path:
    """The folder where the live server writes its mails as .eml files."""
    return LIVE_INSTANCES[live_server] / "mail"


@pytest.fixture(scope="session")
def live_server(backend, tmp_path_factory) -> Iterator[str]:
    if backend.name == "sqlite":
        url, drop = f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.sqlite3'}", None
    else:
        reason = postgres_unreachable_reason()
        if reason:
            postgres_unavailable(reason)  # skipped with the reason — or failed where it is required
        url, drop = create_postgres_schema()
    app = make_app(url, tmp_path_factory.mktemp(f"live-{backend.name}"))
    prepare_database(app)
    server = make_server("127.0.0.1", 0, _buffered(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    LIVE_INSTANCES[base] = Path(app.instance_path)
    LIVE_APPS[base] = app
    yield base
    server.shutdown()
    thread.join(timeout=10)
    if drop:
        with app.app_context():
            db.engine.dispose()
        drop()
    collect_garbage_quietly()


def _buffered(app):
    """Hand werkzeug's server each response body whole, with the app's iterable already closed.

    When the browser drops a connection mid-response (a navigation cancels a favicon load), werkzeug's
    development server can fail reading the dead socket before it closes the iterable, leaving a static
    file open; pytest then reports the unraisable ResourceWarning in whichever test runs next.
    """

    def buffered_app(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return buffered_app


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page(browser, **options):
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900}, **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.fixture
def page(browser):
    context, page = _page(browser)
    yield page
    context.close()


@pytest.fixture
def audit_page(browser):
    """A page whose Content-Security-Policy lets the test inject axe-core (the app's stays strict)."""
    context, page = _page(browser, bypass_csp=True)
    yield page
    context.close()
