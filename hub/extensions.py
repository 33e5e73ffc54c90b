"""Flask extensions, created unbound and bound to the app in ``create_app`` via ``init_app``."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from flask import Flask, current_app, session
from flask_babel import Babel
from flask_login import LoginManager, current_user
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import Connection, MetaData, Table, event
from sqlalchemy.orm import DeclarativeBase

# Deterministic constraint names keep Alembic migrations portable between SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    if TYPE_CHECKING:  # SQLAlchemy types it as any FromClause; every hub model maps one Table
        __table__: ClassVar[Table]


db = SQLAlchemy(model_class=Base)

# The models' base class. Flask-SQLAlchemy builds db.Model at run time from Base (adding its bind and
# table-name mixins); a type checker cannot take an attribute for a base class, so to it the models
# derive from Base — which db.Model is a subclass of.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


def init_app(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _tune_sqlite(db.engine)


def select_locale() -> str:
    """The language chosen with the switch, else the one chosen on the account page; German unless
    someone chose otherwise."""
    chosen = session.get("lang")
    if chosen in available_locales():
        return chosen
    account_choice = getattr(current_user, "language", None)
    if account_choice in available_locales():
        return str(account_choice)
    return str(_config("DEFAULT_LOCALE"))


def available_locales() -> list[str]:
    return [code.strip() for code in str(_config("LOCALES")).split(",") if code.strip()]


def _config(name: str) -> object:
    return current_app.config[name]


def _tune_sqlite(engine: object) -> None:
    """Real transactions (incl. SAVEPOINT), foreign keys, WAL and a busy timeout for SQLite."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")
