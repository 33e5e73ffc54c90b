"""The `hub` command: db upgrade, init, import, user add|passwd|role, digest send — and the README."""

from __future__ import annotations

import re

import sqlalchemy as sa

from hub.extensions import db
from hub.following import operations as following
from hub.models import Centre, Practice, User, WatchTarget
from tests.factories import make_practice, user
from tests.support import CONTENT, PROJECT


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_db_upgrade_gives_an_empty_hub(fresh_app):
    result = fresh_app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert _count(fresh_app, Practice) == 0 and _count(fresh_app, Centre) == 0


def test_init_loads_the_demo_corpus_once_and_sets_demo_passwords(fresh_app):
    runner = fresh_app.test_cli_runner()
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0, result.output
    assert "Demo corpus loaded" in result.output
    assert "mkoch" in result.output and fresh_app.config["DEMO_PASSWORD"] in result.output
    practices = _count(fresh_app, Practice)
    assert practices == len(list((CONTENT / "practices").glob("*.md")))
    with fresh_app.app_context():
        coordinator = db.session.scalars(sa.select(User).where(User.username == "mkoch")).one()
        assert coordinator.check_password(fresh_app.config["DEMO_PASSWORD"])
    again = runner.invoke(args=["init"])
    assert again.exit_code == 0 and "already holds data" in again.output
    assert _count(fresh_app, Practice) == practices


def test_import_of_other_folders_gives_no_usable_password(fresh_app, tmp_content):
    runner = fresh_app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    result = runner.invoke(args=["import", str(tmp_content)])
    assert result.exit_code == 0, result.output
    with fresh_app.app_context():
        users = db.session.scalars(sa.select(User)).all()
        assert users and all(u.password_hash is None and not u.check_password("") for u in users)
    assert runner.invoke(args=["user", "passwd", "mkoch"], input="geheim-1234\ngeheim-1234\n").exit_code == 0
    with fresh_app.app_context():
        assert (
            db.session.scalars(sa.select(User).where(User.username == "mkoch"))
            .one()
            .check_password("geheim-1234")
        )


def test_import_refusal_lists_problems_and_exits_non_zero(fresh_app, tmp_content):
    runner = fresh_app.test_cli_runner()
    runner.invoke(args=["db", "upgrade"])
    path = tmp_content / "practices" / "ki-angebote-tischlerei.md"
    path.write_text(path.read_text("utf-8").replace("sectors: [", "sectors: [Z, ", 1), "utf-8")
    result = runner.invoke(args=["import", str(tmp_content)])
    assert result.exit_code == 1
    assert "nothing was written" in result.output
    assert "practices/ki-angebote-tischlerei.md: sectors: 'Z' is not a WZ 2008 section" in result.output
    assert _count(fresh_app, Practice) == 0


def test_user_add_and_role(fresh_app):
    runner = fresh_app.test_cli_runner()
    runner.invoke(args=["init"])
    result = runner.invoke(
        args=[
            "user",
            "add",
            "neu",
            "--name",
            "Neue Beraterin",
            "--email",
            "neu@example.org",
            "--centre",
            "zz-sachsen",
        ],
        input="passwort-123\npasswort-123\n",
    )
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["user", "role", "neu", "contributor"]).exit_code == 0
    with fresh_app.app_context():
        user = db.session.scalars(sa.select(User).where(User.username == "neu")).one()
        assert user.role.value == "contributor" and user.centre.slug == "zz-sachsen"
        assert user.check_password("passwort-123")
    duplicate = runner.invoke(args=["user", "add", "neu", "--name", "x", "--email", "x@y.z"], input="langes-passwort\nlanges-passwort\n")
    assert duplicate.exit_code != 0 and "exists already" in duplicate.output
    assert runner.invoke(args=["user", "role", "niemand", "admin"]).exit_code != 0


def test_short_passwords_are_refused(fresh_app):
    runner = fresh_app.test_cli_runner()
    runner.invoke(args=["init"])
    result = runner.invoke(args=["user", "passwd", "mkoch"], input="kurz\nkurz\n")
    assert result.exit_code != 0 and "at least 10 characters" in result.output


def test_import_of_a_broken_users_file_lists_it_instead_of_failing(fresh_app, tmp_content):
    runner = fresh_app.test_cli_runner()
    runner.invoke(args=["db", "upgrade"])
    (tmp_content / "users.yml").write_bytes("- {username: jörg}\n".encode("latin-1"))
    result = runner.invoke(args=["import", str(tmp_content)])
    assert result.exit_code == 1, result.output
    assert "users.yml: -: not UTF-8 text (byte 0xf6 on line 1)" in result.output
    assert _count(fresh_app, Practice) == 0


def test_digest_send_is_a_command_and_mails_what_is_due(app, session):
    """`hub digest send` (documented for operators) exists and sends the due digests."""
    reader = user("jlehmann")
    following.set_digest(reader, "daily")
    following.watch(reader, WatchTarget.TAG, "schichtplanung")
    make_practice(title="Digest über die CLI", tags=["schichtplanung"])
    result = app.test_cli_runner().invoke(args=["digest", "send"])
    assert result.exit_code == 0, result.output
    assert "Sent 1 digest(s) with 1 notification(s) as .eml files" in result.output


def test_init_without_demo_only_migrates(fresh_app):
    """`hub init --no-demo` gives the newest schema and no data; `--demo` loads the corpus."""
    runner = fresh_app.test_cli_runner()
    result = runner.invoke(args=["init", "--no-demo"])
    assert result.exit_code == 0 and "newest schema" in result.output
    assert _count(fresh_app, Practice) == 0
    assert runner.invoke(args=["init", "--demo"]).exit_code == 0
    assert _count(fresh_app, Practice) == len(list((CONTENT / "practices").glob("*.md")))


def _readme_commands() -> set[tuple[str, ...]]:
    """Every ``hub …`` command line the README shows: lines of fenced blocks and `inline` spans that
    start with ``hub`` (or a path to it)."""
    text = (PROJECT / "README.md").read_text("utf-8")
    lines = [line for block in re.findall(r"```.*?```", text, flags=re.S) for line in block.splitlines()]
    command = re.compile(r"\s*(?:[\w./-]*/)?hub ((?:[a-z][a-z-]*)(?: [a-z][a-z-]*)?)")
    found = set()
    for snippet in lines + re.findall(r"`([^`\n]+)`", text):
        match = command.match(snippet)
        if match:
            found.add(tuple(match.group(1).split()))
    return found


def _offered(app) -> dict[str, set[str]]:
    """The hub's commands: name → subcommands (empty for a plain command). Flask's own run, shell
    and routes are not the hub's to document."""
    offered = {}
    for name, command in app.cli.commands.items():
        offered[name] = set(getattr(command, "commands", {}))
    return offered


def test_every_command_the_readme_documents_exists_and_every_command_is_documented(app):
    """The README and the CLI agree: each documented `hub …` runs (``--help`` through Click's runner),
    and each command the CLI offers appears in the README."""
    offered = _offered(app)
    documented = _readme_commands()
    runner = app.test_cli_runner()
    resolved = set()
    for words in sorted(documented):
        assert words[0] in offered, f"README documents `hub {' '.join(words)}`, the CLI has no {words[0]!r}"
        path = words if offered[words[0]] and len(words) > 1 else words[:1]
        if offered[words[0]] and len(words) > 1:
            assert words[1] in offered[words[0]], f"`hub {' '.join(words)}`: no such command"
        result = runner.invoke(args=[*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        resolved.add(path)
    for name, subcommands in offered.items():
        wanted = {(name, sub) for sub in subcommands} if subcommands and name != "db" else {(name,)}
        if name == "db":
            wanted = {("db", "upgrade")}  # Flask-Migrate's other commands are for developers
        assert wanted <= resolved, f"the README does not document {sorted(wanted - resolved)}"
