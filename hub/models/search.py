"""The search log coordinators read: what was searched and how it went — never who searched."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hub.extensions import Model
from hub.models._types import UTCDateTime, utcnow


class SearchLogEntry(Model):
    """One search: normalised query, filters, result count, duration. No user, IP or session id."""

    __tablename__ = "search_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    query: Mapped[str] = mapped_column(sa.String(200), default="")
    filters: Mapped[dict[str, list[str]]] = mapped_column(sa.JSON, default=dict)
    results: Mapped[int] = mapped_column(default=0)
    duration_ms: Mapped[int] = mapped_column(default=0)
    source: Mapped[str] = mapped_column(sa.String(10), default="page")  # page | api | list
