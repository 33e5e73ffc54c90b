"""Fixtures: the app on SQLite and on PostgreSQL, each test inside a rolled-back transaction.

Every test that uses ``app`` (or ``client``, ``session`` …) runs once per backend. The schema is
built with the real Alembic migrations and the demo corpus is imported once per backend; each test
then runs in an outer transaction that is rolled back, so tests never see each other's writes.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient
from sqlalchemy.orm import scoped_session, sessionmaker

from hub.extensions import db
from hub.search.sync import get_index
from tests.support import (
    CONTENT,
    Backend,
    create_postgres_schema,
    dispose_apps,
    login,
    make_app,
    postgres_unavailable,
    postgres_unreachable_reason,
    prepare_database,
)

# Built once per backend and kept until the session ends. pytest would tear a parametrised session
# fixture down whenever the parameter changes — with xdist's ``loadfile`` that is at every file —
# and rebuilding the database and index each time costs minutes.
_BUILT: dict[str, Any] = {}
_CLEANUPS: list[Any] = []


@pytest.fixture(scope="session", autouse=True)
def _clean_up_backends() -> Iterator[None]:
    yield
    for cleanup in reversed(_CLEANUPS):
        cleanup()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Backend:
    key = f"backend-{request.param}"
    if key not in _BUILT:
        _BUILT[key] = _make_backend(request.param, tmp_path_factory)
    found = _BUILT[key]
    if isinstance(found, str):
        postgres_unavailable(found)  # skipped with the reason — or failed where PostgreSQL is required
    return found


def _make_backend(name: str, tmp_path_factory: pytest.TempPathFactory) -> Backend | str:
    if name == "sqlite":
        path = tmp_path_factory.mktemp("sqlite") / "hub.sqlite3"
        return Backend("sqlite", f"sqlite:///{path}")
    reason = postgres_unreachable_reason()
    if reason:
        return reason
    url, drop = create_postgres_schema()
    _CLEANUPS.append(drop)
    return Backend("postgresql", url)


class RequestIsolatingClient(FlaskClient):
    """A test client whose every request gets a fresh ``g``.

    Flask reuses an application context that is already pushed (as in tests that call operations
    directly), so without this, ``g`` — and with it Flask-Login's user and Flask-WTF's CSRF token —
    would leak from one request into the next, which never happens in production.
    """

    def open(self, *args, **kwargs):
        ctx = _cv_app.get(None)
        if ctx is None:
            return super().open(*args, **kwargs)
        saved, ctx.g = ctx.g, self.application.app_ctx_globals_class()
        try:
            return super().open(*args, **kwargs)
        finally:
            ctx.g = saved


@pytest.fixture(scope="session")
def base_app(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    key = f"app-{backend.name}"
    if key not in _BUILT:
        _BUILT[key] = _make_base_app(backend, tmp_path_factory)
    return _BUILT[key]


def _make_base_app(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    app = make_app(backend.url, tmp_path_factory.mktemp(f"app-{backend.name}"))
    app.test_client_class = RequestIsolatingClient
    prepare_database(app)
    pristine = tmp_path_factory.mktemp(f"index-{backend.name}") / "pristine"
    shutil.copytree(get_index(app).folder(), pristine)
    app.config["PRISTINE_INDEX"] = pristine

    def dispose() -> None:
        get_index(app).close()
        with app.app_context():
            db.engine.dispose()

    _CLEANUPS.append(dispose)
    return app


@pytest.fixture
def app(base_app: Flask) -> Iterator[Flask]:
    """The app with a database session joined into an outer transaction that is rolled back; its
    settings are restored afterwards, whatever the test changed."""
    settings = dict(base_app.config)
    with base_app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
        db.session = scoped_session(factory, scopefunc=original.registry.scopefunc)
        try:
            yield base_app
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()
            base_app.config.clear()
            base_app.config.update(settings)
            # The index followed the test's commits, which were just rolled back: reset it too.
            get_index(base_app).install_copy(base_app.config["PRISTINE_INDEX"])


@pytest.fixture
def session(app: Flask) -> Iterator[object]:
    """The database session inside an app context, for tests that call operations directly."""
    with app.test_request_context():
        yield db.session


@pytest.fixture
def client(app: Flask):
    return app.test_client()


@pytest.fixture
def login_as(client):
    def _login(username: str) -> object:
        response = login(client, username)
        assert response.status_code == 302, f"login of {username} failed"
        return client

    return _login


@pytest.fixture
def tmp_content(tmp_path: Path) -> Path:
    """A writable copy of the demo corpus, for tests that break it on purpose."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


@pytest.fixture
def fresh_app_factory(backend: Backend, tmp_path: Path) -> Iterator[Any]:
    """Apps on brand-new, empty databases (no schema yet) of the same backend.

    Tests that use these must not also use ``app``/``session``: those swap ``db.session`` for the
    rolled-back one of the shared test database.
    """
    made: list[tuple[Flask, Any]] = []

    def make(name: str = "fresh") -> Flask:
        if backend.name == "sqlite":
            url, drop = f"sqlite:///{tmp_path / f'{name}.sqlite3'}", None
        else:
            url, drop = create_postgres_schema()
        app = make_app(url, tmp_path / name)
        made.append((app, drop))
        return app

    yield make
    dispose_apps([app for app, _ in made])
    for _, drop in made:
        if drop:
            drop()
    made.clear()


@pytest.fixture
def other_app(base_app: Flask) -> Iterator[Any]:
    """Apps with other settings on the suite's database (and its instance folder unless given one).
    Their connections are closed at the test's end: an app left to the garbage collector would have
    its open connections reported in whichever test runs when the collector gets to them."""
    made: list[Flask] = []

    def make(instance: Path | None = None, **settings: Any) -> Flask:
        app = make_app(base_app.config["DATABASE_URL"], instance or Path(base_app.instance_path), **settings)
        made.append(app)
        return app

    yield make
    dispose_apps(made)


@pytest.fixture
def fresh_app(fresh_app_factory: Any) -> Flask:
    """An app on a brand-new, empty database (no schema yet) of the same backend."""
    return fresh_app_factory()
