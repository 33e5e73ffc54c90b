"""The ``hub`` command (also ``python -m hub``): Flask's CLI on the app factory; the hub's own
commands (``hub.cli``) are registered on every app ``create_app`` builds."""

from __future__ import annotations

from flask.cli import FlaskGroup

from hub import create_app


def main() -> None:
    FlaskGroup(create_app=lambda: create_app(), help="Praxis-Hub administration.")(prog_name="hub")


if __name__ == "__main__":
    main()
