"""The shared vocabulary: WZ 2008 sectors, company sizes, topics, tags with aliases, synonyms."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.extensions import Model


class Sector(Model):
    """A section (A–U) of the German classification of economic activities, WZ 2008."""

    __tablename__ = "sectors"

    code: Mapped[str] = mapped_column(sa.String(1), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300))

    def __repr__(self) -> str:
        return f"<Sector {self.code}>"


class CompanySize(Model):
    __tablename__ = "company_sizes"

    code: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[int] = mapped_column(default=0)


class Topic(Model):
    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[int] = mapped_column(default=0)


class Tag(Model):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)

    aliases: Mapped[list[TagAlias]] = relationship(
        back_populates="tag", cascade="all, delete-orphan", order_by="TagAlias.alias"
    )

    def __repr__(self) -> str:
        return f"<Tag {self.name}>"


class TagAlias(Model):
    """Another name for a tag: a practice tagged with the alias gets the tag; search treats both alike."""

    __tablename__ = "tag_aliases"

    alias: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    tag_id: Mapped[int] = mapped_column(sa.ForeignKey("tags.id", ondelete="CASCADE"))

    tag: Mapped[Tag] = relationship(back_populates="aliases")


class SynonymGroup(Model):
    """Terms search treats as equivalent (taxonomy.yml ``synonyms``)."""

    __tablename__ = "synonym_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    terms: Mapped[list[str]] = mapped_column(sa.JSON)
    position: Mapped[int] = mapped_column(default=0)
