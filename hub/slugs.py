"""Slugs: the readable, stable part of a URL."""

from __future__ import annotations

import re
import unicodedata

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})


def slugify(text: str, fallback: str = "eintrag", max_length: int = 120) -> str:
    """“KI-Einstieg im Handwerk: Größe” → ``ki-einstieg-im-handwerk-groesse``."""
    text = unicodedata.normalize("NFKD", text.translate(_UMLAUTS).lower()).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:max_length].strip("-")
    return slug or fallback
