"""Tag governance for coordinators: rename, merge, aliases. Every action lands in the audit log;
search follows renamed and merged tags by itself (``hub.search.outbox``)."""

from __future__ import annotations

import re

import sqlalchemy as sa

from hub.auth.permissions import Action, require
from hub.extensions import db
from hub.models import Practice, Tag, TagAlias, User, practice_tags
from hub.practices.operations import audit

TAG_RE = re.compile(r"^[a-z0-9äöüß]+(?:-[a-z0-9äöüß]+)*$")


class TagError(ValueError):
    """The name is not a valid tag, or already taken."""


def normalise_tag(name: str) -> str:
    """Lower case, spaces and underscores to ``-`` (CONTENT-FORMAT.md: words joined by ``-``)."""
    return re.sub(r"[\s_]+", "-", name.strip().lower()).strip("-")


def valid_tag(name: str) -> bool:
    return bool(TAG_RE.match(name)) and len(name) <= 80


def usage_counts() -> list[tuple[Tag, int]]:
    """Every tag with the number of practices carrying it, by name."""
    rows = db.session.execute(
        sa.select(Tag, sa.func.count(practice_tags.c.practice_id))
        .outerjoin(practice_tags, practice_tags.c.tag_id == Tag.id)
        .group_by(Tag.id)
        .order_by(Tag.name)
    ).all()
    return [(tag, count) for tag, count in rows]


def rename_tag(actor: User, tag: Tag, new_name: str) -> None:
    """Rename; the old name becomes an alias, so old links and imports still find the tag."""
    require(actor, Action.MANAGE_TAGS)
    new_name = _new_name(new_name, allow_alias_of=tag)
    old_name = tag.name
    existing_alias = db.session.get(TagAlias, new_name)
    if existing_alias is not None:
        db.session.delete(existing_alias)
        db.session.flush()
    tag.name = new_name
    tag.aliases.append(TagAlias(alias=old_name))
    audit(actor, "rename-tag", "tag", new_name, old=old_name, new=new_name)


def merge_tags(actor: User, source: Tag, target: Tag) -> int:
    """Re-tag every practice of ``source`` with ``target``; ``source`` becomes an alias of it.

    Returns how many practices were re-tagged."""
    require(actor, Action.MANAGE_TAGS)
    if source.id == target.id:
        raise TagError("same tag")
    practices = _practices_with(source)
    for practice in practices:
        kept = [t for t in practice.tags if t.id != source.id]
        practice.tags = kept if any(t.id == target.id for t in kept) else [*kept, target]
    aliases = [alias.alias for alias in source.aliases]
    name = source.name
    db.session.delete(source)
    db.session.flush()
    for alias in [*aliases, name]:
        db.session.add(TagAlias(alias=alias, tag_id=target.id))
    db.session.flush()
    db.session.expire(target, ["aliases"])
    audit(actor, "merge-tags", "tag", target.name, source=name, target=target.name, practices=len(practices))
    return len(practices)


def add_alias(actor: User, tag: Tag, alias: str) -> None:
    require(actor, Action.MANAGE_TAGS)
    alias = _new_name(alias)
    tag.aliases.append(TagAlias(alias=alias))
    db.session.flush()
    audit(actor, "add-alias", "tag", tag.name, alias=alias)


def remove_alias(actor: User, alias: TagAlias) -> None:
    require(actor, Action.MANAGE_TAGS)
    tag = alias.tag
    name = alias.alias
    tag.aliases.remove(alias)
    db.session.flush()
    audit(actor, "remove-alias", "tag", tag.name, alias=name)


def _new_name(name: str, allow_alias_of: Tag | None = None) -> str:
    name = normalise_tag(name)
    if not valid_tag(name):
        raise TagError(f"invalid tag: {name!r}")
    if db.session.scalar(sa.select(Tag.id).where(Tag.name == name)) is not None:
        raise TagError(f"tag exists: {name!r}")
    alias = db.session.get(TagAlias, name)
    if alias is not None and (allow_alias_of is None or alias.tag_id != allow_alias_of.id):
        raise TagError(f"alias exists: {name!r}")
    return name


def _practices_with(tag: Tag) -> list[Practice]:
    return list(db.session.scalars(sa.select(Practice).where(Practice.tags.any(Tag.id == tag.id))))
