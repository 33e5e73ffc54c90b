"""Prometheus metrics at ``GET /metrics`` (text format), for the bearer of ``HUB_METRICS_TOKEN`` only.

Counters and histograms are kept by ``prometheus_client``; under gunicorn, ``PROMETHEUS_MULTIPROC_DIR``
(set by ``hub/gunicorn_conf.py``) makes every worker write its values into files there, and a scrape
adds up all workers. What describes this host's state — outbox rows its index has not applied, the
age of the oldest, the index's document count — is read at scrape time.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Iterator

from flask import Blueprint, Flask, Response, abort, current_app, g, request
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy.orm import Session

from hub.counters import LATENCY, LOGINS_FAILED, REGISTRY, REQUESTS
from hub.extensions import db
from hub.health import seconds_since
from hub.search import search_service

bp = Blueprint("metrics", __name__)
UNTIMED = {"static", "metrics.metrics", "health.healthz", "health.readyz"}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.after_request(_count_request)


@bp.get("/metrics")
def metrics() -> Response:
    token = str(current_app.config["METRICS_TOKEN"])
    if not token:
        abort(404)
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return Response("bearer token required\n", 401, {"WWW-Authenticate": 'Bearer realm="metrics"'})
    scrape = CollectorRegistry()
    scrape.register(HostCollector(current_app._get_current_object()))  # type: ignore[attr-defined]  # current_app is typed as the Flask app, not werkzeug's LocalProxy
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(scrape)
        body = generate_latest(scrape)
    else:
        body = generate_latest(REGISTRY) + generate_latest(scrape)
    return Response(body, 200, {"Content-Type": CONTENT_TYPE_LATEST, "Cache-Control": "no-store"})


class HostCollector:
    """This host's index: outbox rows not applied yet, age of the oldest, documents."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self) -> Iterator[Metric]:
        service = search_service(self.app)
        folder = service.folder()
        with self.app.app_context(), Session(bind=db.engine) as session:
            count, oldest = service.pending(session)
        yield _gauge("hub_outbox_pending_rows", "Outbox rows not applied by this host's index", folder, count)
        yield _gauge(
            "hub_outbox_oldest_pending_age_seconds", "Age of the oldest outbox row not applied here",
            folder, seconds_since(oldest),
        )
        documents = service.document_count()
        yield _gauge("hub_search_index_documents", "Documents in this host's index", folder, documents)


def _gauge(name: str, documentation: str, folder: str, value: float) -> GaugeMetricFamily:
    gauge = GaugeMetricFamily(name, documentation, labels=["index_folder"])
    gauge.add_metric([folder], value)
    return gauge


def _count_request(response: Response) -> Response:
    endpoint = request.url_rule.endpoint if request.url_rule else "unmatched"
    REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
    if endpoint == "auth.login" and request.method == "POST" and response.status_code in (401, 429):
        LOGINS_FAILED.inc()
    kind = _kind(endpoint)
    started = g.get("request_started")
    if kind and started is not None:
        LATENCY.labels(kind).observe(time.perf_counter() - started)
    return response


def _kind(endpoint: str) -> str | None:
    if endpoint in UNTIMED or endpoint.endswith(".static"):
        return None
    if endpoint.startswith("search.") or endpoint == "api.search":
        return "search"
    if request.path.startswith("/api/"):
        return "api"
    return "page"
