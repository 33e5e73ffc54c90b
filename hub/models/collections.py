"""Curated, ordered collections of practices."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.extensions import Model
from hub.models._types import UTCDateTime, enum_column, utcnow
from hub.models.accounts import Centre, User
from hub.models.enums import Visibility
from hub.models.practices import Practice


class Collection(Model):
    __tablename__ = "collections"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    curator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # The centre that curates it: its contributors may edit it (coordinators may edit every collection).
    centre_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("centres.id", ondelete="SET NULL"), index=True
    )
    visibility: Mapped[Visibility] = mapped_column(enum_column(Visibility, "collection_visibility"))
    intro: Mapped[str] = mapped_column(sa.Text, default="")
    # An optional saved search (hub.saved_searches): its matches are appended after the curated items.
    search_query: Mapped[str | None] = mapped_column(sa.Text)
    search_filters: Mapped[dict[str, list[str]] | None] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    modified_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    curator: Mapped[User | None] = relationship()
    centre: Mapped[Centre | None] = relationship()
    items: Mapped[list[CollectionItem]] = relationship(
        back_populates="collection", cascade="all, delete-orphan", order_by="CollectionItem.position"
    )


class CollectionItem(Model):
    __tablename__ = "collection_items"

    collection_id: Mapped[int] = mapped_column(
        sa.ForeignKey("collections.id", ondelete="CASCADE"), primary_key=True
    )
    practice_id: Mapped[int] = mapped_column(
        sa.ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(default=0)

    collection: Mapped[Collection] = relationship(back_populates="items")
    practice: Mapped[Practice] = relationship()
