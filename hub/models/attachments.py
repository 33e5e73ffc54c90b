"""Files attached to a write-up (PDF, Office, OpenDocument, CSV, text, images).

The bytes live once per content hash under ``UPLOAD_DIR/files/<sha256>``; a row says which practice
carries which file, under which name, title and note, and at which position. Revisions keep the
list as it was (``Revision.data["attachments"]``), so the history shows files added and removed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.extensions import Model
from hub.models._types import UTCDateTime, utcnow
from hub.models.accounts import User

TEXT_PENDING = "pending"  # not extracted yet
TEXT_OK = "ok"  # extracted completely
TEXT_PARTIAL = "partial"  # extracted from the first part only (limits)
TEXT_UNREADABLE = "unreadable"  # encrypted, damaged or malformed
TEXT_NONE = "none"  # images: no text to extract


class Attachment(Model):
    """One file attached to a practice."""

    __tablename__ = "attachments"
    __table_args__ = (sa.UniqueConstraint("practice_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(sa.ForeignKey("practices.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    file_name: Mapped[str] = mapped_column(sa.String(255))  # normalised name the download carries
    title: Mapped[str] = mapped_column(sa.String(300))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    content_type: Mapped[str] = mapped_column(sa.String(120))
    size: Mapped[int] = mapped_column(sa.Integer)
    text: Mapped[str | None] = mapped_column(sa.Text)  # extracted text, indexed with the practice
    text_state: Mapped[str] = mapped_column(sa.String(20), default=TEXT_PENDING)
    uploader_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    uploader: Mapped[User | None] = relationship()

    def revision_entry(self) -> dict[str, Any]:
        """What a revision records of this file (enough to show and restore the list)."""
        entry: dict[str, Any] = {
            "file": self.sha256,
            "name": self.file_name,
            "title": self.title,
            "type": self.content_type,
            "size": self.size,
        }
        if self.note:
            entry["note"] = self.note
        return entry
