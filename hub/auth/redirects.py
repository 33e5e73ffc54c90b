"""Guard for ``next=`` parameters: only paths on this site, never another host."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None, fallback: str = "/") -> str:
    """``target`` if it is a local path such as ``/practices?x=1``, otherwise ``fallback``."""
    if not target or len(target) > 2000:
        return fallback
    if any(ch in target for ch in "\\\r\n\t") or any(ord(ch) < 32 for ch in target):
        return fallback
    if not target.startswith("/") or target.startswith("//"):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target
