"""The hub's Prometheus counters and histograms, and the calls that count. A leaf: whatever counts
(requests, searches, mails) imports this module; ``hub.metrics`` serves them at ``GET /metrics``.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

REGISTRY = CollectorRegistry()  # the hub's own; in multiprocess mode values live in files instead

REQUESTS = Counter(
    "hub_http_requests", "HTTP requests by endpoint, method and status", ["endpoint", "method", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "hub_http_request_duration_seconds", "Time to answer a request, by kind (page, search, api)", ["kind"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0), registry=REGISTRY,
)
SEARCH_CACHE = Counter(
    "hub_search_result_cache", "Searches answered from the result cache (hit) or computed (miss)",
    ["result"], registry=REGISTRY,
)
LOGINS_FAILED = Counter("hub_logins_failed", "Failed or refused logins", registry=REGISTRY)
MAILS = Counter(
    "hub_mails", "Mails handed to SMTP or written as files, by result", ["result"], registry=REGISTRY
)


def search_cache(hit: bool) -> None:
    SEARCH_CACHE.labels("hit" if hit else "miss").inc()


def mail(sent: bool) -> None:
    MAILS.labels("sent" if sent else "failed").inc()
