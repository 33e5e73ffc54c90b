"""Write-ups (practices), their revisions, typed links and experience reports."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.extensions import Model, db
from hub.models._types import UTCDateTime, enum_column, utcnow
from hub.models.accounts import Centre, User
from hub.models.attachments import Attachment
from hub.models.enums import Kind, LinkType, Result, Status, Visibility
from hub.models.taxonomy import CompanySize, Sector, Tag, Topic


def _association(name: str, column: str, target: str) -> sa.Table:
    return sa.Table(
        name,
        db.metadata,
        sa.Column("practice_id", sa.ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True),
        sa.Column(column, sa.ForeignKey(target, ondelete="CASCADE"), primary_key=True, index=True),
    )


practice_sectors = _association("practice_sectors", "sector_code", "sectors.code")
practice_sizes = _association("practice_sizes", "size_code", "company_sizes.code")
practice_topics = _association("practice_topics", "topic_id", "topics.id")
practice_tags = _association("practice_tags", "tag_id", "tags.id")
practice_authors = _association("practice_authors", "user_id", "users.id")


class Practice(Model):
    """One write-up: case study, best practice, method or lesson learned."""

    __tablename__ = "practices"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    kind: Mapped[Kind] = mapped_column(enum_column(Kind, "practice_kind"))
    centre_id: Mapped[int] = mapped_column(sa.ForeignKey("centres.id"), index=True)
    summary: Mapped[str] = mapped_column(sa.Text)
    body: Mapped[str] = mapped_column(sa.Text, default="")
    visibility: Mapped[Visibility] = mapped_column(enum_column(Visibility, "practice_visibility"))
    status: Mapped[Status] = mapped_column(enum_column(Status, "practice_status"), index=True)
    published: Mapped[date | None] = mapped_column(sa.Date)
    updated: Mapped[date | None] = mapped_column(sa.Date)
    review_due: Mapped[date | None] = mapped_column(sa.Date)
    outcome_result: Mapped[Result | None] = mapped_column(enum_column(Result, "outcome_result"))
    outcome_effort_days: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 1))
    outcome_cost_eur: Mapped[int | None] = mapped_column(sa.Integer)
    head_revision_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("revisions.id", use_alter=True, ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    modified_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, index=True)

    centre: Mapped[Centre] = relationship(back_populates="practices")
    sectors: Mapped[list[Sector]] = relationship(secondary=practice_sectors, order_by=Sector.code)
    sizes: Mapped[list[CompanySize]] = relationship(secondary=practice_sizes, order_by=CompanySize.position)
    topics: Mapped[list[Topic]] = relationship(secondary=practice_topics, order_by=Topic.position)
    tags: Mapped[list[Tag]] = relationship(secondary=practice_tags, order_by=Tag.name)
    authors: Mapped[list[User]] = relationship(secondary=practice_authors, order_by=User.username)
    links: Mapped[list[PracticeLink]] = relationship(
        foreign_keys="PracticeLink.source_id",
        back_populates="source",
        cascade="all, delete-orphan",
        order_by="PracticeLink.position",
    )
    backlinks: Mapped[list[PracticeLink]] = relationship(
        foreign_keys="PracticeLink.target_id", back_populates="target", viewonly=True
    )
    experiences: Mapped[list[ExperienceReport]] = relationship(
        back_populates="practice",
        cascade="all, delete-orphan",
        order_by="(ExperienceReport.date, ExperienceReport.id)",
    )
    revisions: Mapped[list[Revision]] = relationship(
        foreign_keys="Revision.practice_id",
        back_populates="practice",
        cascade="all, delete-orphan",
        order_by="Revision.number",
    )
    head: Mapped[Revision | None] = relationship(foreign_keys=[head_revision_id], post_update=True)
    attachments: Mapped[list[Attachment]] = relationship(
        cascade="all, delete-orphan", order_by="(Attachment.position, Attachment.id)"
    )

    def __repr__(self) -> str:
        return f"<Practice {self.slug} ({self.status})>"


class PracticeLink(Model):
    """A typed link from one write-up to another (builds on, adapted from, alternative to, see also)."""

    __tablename__ = "practice_links"
    __table_args__ = (sa.UniqueConstraint("source_id", "target_id", "type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(sa.ForeignKey("practices.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(sa.ForeignKey("practices.id", ondelete="CASCADE"), index=True)
    type: Mapped[LinkType] = mapped_column(enum_column(LinkType, "link_type"))
    position: Mapped[int] = mapped_column(default=0)

    source: Mapped[Practice] = relationship(foreign_keys=[source_id], back_populates="links")
    target: Mapped[Practice] = relationship(foreign_keys=[target_id], back_populates="backlinks")


class ExperienceReport(Model):
    """Another centre's report of re-using a practice: where, for whom, and how it went."""

    __tablename__ = "experience_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practices.id", ondelete="CASCADE"), index=True)
    centre_id: Mapped[int] = mapped_column(sa.ForeignKey("centres.id"))
    sector_code: Mapped[str] = mapped_column(sa.ForeignKey("sectors.code"), index=True)
    size_code: Mapped[str] = mapped_column(sa.ForeignKey("company_sizes.code"))
    result: Mapped[Result] = mapped_column(enum_column(Result, "experience_result"))
    date: Mapped[date] = mapped_column(sa.Date)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    practice: Mapped[Practice] = relationship(back_populates="experiences")
    centre: Mapped[Centre] = relationship()
    sector: Mapped[Sector] = relationship()
    size: Mapped[CompanySize] = relationship()
    author: Mapped[User | None] = relationship()


class Revision(Model):
    """One saved version of a practice: full metadata and body, who saved it, when and why."""

    __tablename__ = "revisions"
    __table_args__ = (sa.UniqueConstraint("practice_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practices.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column()
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    message: Mapped[str] = mapped_column(sa.Text, default="")
    data: Mapped[dict[str, object]] = mapped_column(sa.JSON)  # front matter as in CONTENT-FORMAT.md
    body: Mapped[str] = mapped_column(sa.Text, default="")

    practice: Mapped[Practice] = relationship(foreign_keys=[practice_id], back_populates="revisions")
    author: Mapped[User | None] = relationship()
