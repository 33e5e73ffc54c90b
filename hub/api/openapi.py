"""The OpenAPI 3.1 description of API v1 — served at ``/api/v1/openapi.json``, rendered at ``/api/docs``.

Schemathesis checks in the test suite that every response matches it.
"""

from __future__ import annotations

from typing import Any

from hub.filters import FILTER_NAMES, LIST_FILTER_NAMES
from hub.paging import MAX_PAGE, max_per_page
from hub.vocabulary import GERMAN_STATES, stored

STR = {"type": "string", "pattern": "^[^\\x00]*$"}  # no NUL: the database cannot store it
WORKFLOW_DATE = "Set by the review workflow; only coordinators and admins may give it (others: 403)"
INT = {"type": "integer"}
NULL_STR = {"type": ["string", "null"], "pattern": "^[^\\x00]*$"}
STR_LIST = {"type": "array", "items": STR}
CODES = {
    "kind": ["case-study", "best-practice", "method", "lesson-learned"],
    "visibility": ["public", "internal"],
    "status": ["draft", "review", "published", "archived"],
    "result": ["worked", "partly", "failed"],
    "link": ["builds-on", "adapted-from", "alternative-to", "see-also"],
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(required: list[str], **props: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": props}


def _closed(required: list[str], **props: Any) -> dict[str, Any]:
    """An object of a request body: no other keys allowed (the API refuses unknown keys)."""
    return {**_obj(required, **props), "additionalProperties": False}


COUNTS = _obj(["worked", "partly", "failed"], worked=INT, partly=INT, failed=INT)
SCHEMAS: dict[str, Any] = {
    "Problem": {
        "type": "object",
        "required": ["type", "title", "status"],
        "properties": {
            "type": STR,
            "title": STR,
            "status": INT,
            "detail": STR,
            "errors": {"type": "object", "additionalProperties": STR_LIST},
        },
    },
    "Centre": _obj(["slug", "name", "state", "kind"], slug=STR, name=STR, state=STR, kind=STR),
    "Experience": _obj(
        ["id", "centre", "sector", "size", "result", "date", "note"],
        id=INT,
        centre=STR,
        sector=STR,
        size=STR,
        result={"enum": CODES["result"]},
        date={"type": "string", "format": "date"},
        note=STR,
    ),
    "PracticeSummary": _obj(
        [
            "slug",
            "title",
            "kind",
            "centre",
            "summary",
            "sectors",
            "sizes",
            "topics",
            "visibility",
            "status",
            "published",
            "outcome",
            "url",
        ],
        slug=STR,
        title=STR,
        kind={"enum": CODES["kind"]},
        centre=STR,
        summary=STR,
        sectors=STR_LIST,
        sizes=STR_LIST,
        topics=STR_LIST,
        visibility={"enum": CODES["visibility"]},
        status={"enum": CODES["status"]},
        published={"type": ["string", "null"], "format": "date"},
        outcome={"enum": [*CODES["result"], None]},
        url={"type": "string", "format": "uri"},
    ),
    "Practice": {
        "allOf": [
            _ref("PracticeSummary"),
            _obj(
                [
                    "authors",
                    "tags",
                    "updated",
                    "review_due",
                    "outcome",
                    "related",
                    "body",
                    "revision",
                    "experiences",
                ],
                authors=STR_LIST,
                tags=STR_LIST,
                updated=NULL_STR,
                review_due=NULL_STR,
                outcome={
                    "oneOf": [
                        {"type": "null"},
                        _obj(
                            ["result", "effort_days", "cost_eur"],
                            result={"enum": CODES["result"]},
                            effort_days={"type": ["number", "null"]},
                            cost_eur={"type": ["integer", "null"]},
                        ),
                    ]
                },
                related={
                    "type": "array",
                    "items": _obj(["slug", "type"], slug=STR, type={"enum": CODES["link"]}),
                },
                body=STR,
                revision={"type": ["integer", "null"], "description": "Version number: the revision's own "
                          "for those who see the drafts; for everyone else the count of published versions "
                          "(it does not tell how many drafts there were)"},
                experiences={"type": "array", "items": _ref("Experience")},
            ),
        ]
    },
    "Links": _obj(["self", "next", "prev"], self=STR, next=NULL_STR, prev=NULL_STR),
    "PracticePage": _obj(
        ["total", "page", "per_page", "results", "links"],
        total=INT,
        page=INT,
        per_page=INT,
        results={"type": "array", "items": _ref("PracticeSummary")},
        links=_ref("Links"),
    ),
    "Collection": _obj(
        ["slug", "title", "visibility", "centre", "intro", "practices", "url", "saved_search"],
        slug=STR,
        title=STR,
        visibility={"enum": CODES["visibility"]},
        centre=NULL_STR,
        intro=STR,
        practices=STR_LIST,
        url=STR,
        saved_search={"oneOf": [{"type": "null"}, _ref("SavedSearch")]},
    ),
    "SavedSearch": {
        **_obj(
            ["q", "filters", "search_url", "feed_url"],
            q=STR,
            filters={
                "type": "object",
                "description": "Non-empty filters with the names of /search (values as in its URL).",
                "properties": {name: STR_LIST for name in FILTER_NAMES},
                "additionalProperties": False,
            },
            search_url=STR,
            feed_url=STR,
        ),
        "description": "A collection's saved search: its matches (published practices the reader may see, "
        "newest first, at most 50) are appended after the curated practices on the collection page.",
    },
    "Taxonomy": _obj(
        ["sectors", "sizes", "topics", "tag_aliases", "synonyms"],
        sectors={"type": "array", "items": _obj(["code", "name"], code=STR, name=STR)},
        sizes={"type": "array", "items": _obj(["code", "name"], code=STR, name=STR)},
        topics={"type": "array", "items": _obj(["slug", "name"], slug=STR, name=STR)},
        tag_aliases={"type": "object", "additionalProperties": STR},
        synonyms={"type": "array", "items": STR_LIST},
    ),
    "MatchResult": _obj(
        ["slug", "title", "url", "score", "reasons", "evidence", "warning", "failed_in_sectors"],
        slug=STR,
        title=STR,
        url=STR,
        score={"type": "number"},
        reasons={
            "type": "array",
            "items": {"type": "object", "required": ["code"], "properties": {"code": STR}},
        },
        evidence=_obj(["same_sector", "all"], same_sector=COUNTS, all=COUNTS),
        warning={"type": "boolean"},
        failed_in_sectors=STR_LIST,
    ),
    "PracticeInput": {
        "type": "object",
        "required": ["title", "kind", "centre", "summary", "sectors", "sizes", "topics", "visibility"],
        "properties": {
            "title": STR,
            "slug": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
            "kind": {"enum": CODES["kind"]},
            "centre": STR,
            "authors": STR_LIST,
            "summary": STR,
            "sectors": STR_LIST,
            "sizes": STR_LIST,
            "topics": STR_LIST,
            "tags": STR_LIST,
            "visibility": {"enum": CODES["visibility"]},
            "status": {"enum": CODES["status"]},
            "published": {"type": "string", "format": "date", "description": WORKFLOW_DATE},
            "updated": {"type": "string", "format": "date", "description": WORKFLOW_DATE},
            "review_due": {"type": "string", "format": "date", "description": WORKFLOW_DATE},
            "outcome": _closed(
                ["result"],
                result={"enum": CODES["result"]},
                effort_days={"type": "number", "minimum": 0},
                cost_eur={"type": "integer", "minimum": 0},
            ),
            "related": {
                "type": "array",
                "items": _closed(["slug", "type"], slug=STR, type={"enum": CODES["link"]}),
            },
            "body": STR,
            "message": {**STR, "maxLength": 500, "description": "What changed (the revision message)"},
        },
        "additionalProperties": False,
    },
    "ExperienceInput": {
        "type": "object",
        "required": ["centre", "sector", "size", "result"],
        "properties": {
            "centre": STR,
            "sector": STR,
            "size": STR,
            "result": {"enum": CODES["result"]},
            "date": {"type": "string", "format": "date"},
            "note": STR,
        },
        "additionalProperties": False,
    },
    "CollectionInput": {
        "type": "object",
        "required": ["title", "visibility"],
        "properties": {
            "title": STR,
            "slug": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
            "visibility": {"enum": CODES["visibility"]},
            "intro": STR,
            "centre": STR,
            "practices": STR_LIST,
            "saved_search": {
                "oneOf": [{"type": "null"}, _ref("SavedSearchInput")],
                "description": "A query and/or filters whose matches follow the curated practices; null "
                "removes it, leaving it out keeps the collection's current one.",
            },
        },
        "additionalProperties": False,
    },
    "SavedSearchInput": {
        "type": "object",
        "properties": {
            "q": STR,
            "filters": {
                "type": "object",
                "properties": {name: STR_LIST for name in FILTER_NAMES},
                "additionalProperties": False,
            },
        },
        "additionalProperties": False,
    },
    "TransitionInput": _closed(
        ["transition"],
        transition={"enum": ["submit", "withdraw", "approve", "send-back", "archive", "unarchive"]},
        comment=STR,
    ),
    "SearchResponse": _obj(
        ["query", "total", "page", "per_page", "results", "facets", "suggestion", "match", "complete"],
        query=STR,
        total=INT,
        page=INT,
        per_page=INT,
        results={
            "type": "array",
            "items": _obj(
                ["slug", "title", "kind", "centre", "sectors", "summary", "snippet", "matched_file", "url"],
                slug=STR,
                title=STR,
                kind=STR,
                centre=STR,
                sectors=STR_LIST,
                summary=STR,
                snippet={"type": "string", "description": "HTML: escaped text with <mark> highlights"},
                matched_file={**NULL_STR, "description": "The name of the attached file the words were found "
                              "in when they are in none of the practice's own text (the snippet then comes "
                              "from that file; the search page says “im Anhang: <name>”); null otherwise"},
                url=STR,
                score={"type": "number", "description": "Relevance; only for coordinators and admins "
                       "(it depends on every practice in the index, also those others may not see)"},
            ),
        },
        facets={"type": "object", "additionalProperties": {"type": "object", "additionalProperties": INT}},
        suggestion=NULL_STR,
        match={"type": "string", "enum": ["all", "partial"],
               "description": "all: every result has every word (a compound typed may match through its parts); "
               "partial: fewer than ten practices have every word, so those with most of the words follow them"},
        complete={**INT, "description": "results (of total) that have every word"},
    ),
    "Attachment": _obj(
        ["id", "title", "name", "note", "type", "size", "text", "uploaded", "url"],
        id=INT, title=STR, name={**STR, "description": "normalised file name the download carries"},
        note=STR, type={**STR, "description": "media type, decided by the file's content"},
        size={**INT, "description": "bytes"},
        text={"enum": ["pending", "ok", "partial", "unreadable", "none"],
              "description": "whether the file's text is searchable: ok, partial (its beginning only), "
              "unreadable (encrypted or damaged), pending (not read yet), none (an image)"},
        uploaded={**STR, "format": "date-time"}, url={**STR, "format": "uri"},
    ),
    "MatchResponse": _obj(
        ["profile", "results"],
        profile={"type": "object"},
        results={"type": "array", "items": _ref("MatchResult")},
    ),
}


def _problems(*codes: int) -> dict[str, Any]:
    content = {"application/problem+json": {"schema": _ref("Problem")}}
    texts = {400: "Invalid parameters", 401: "Not logged in", 403: "Not allowed", 404: "Not found or not visible",
             409: "Conflict: changed since your version, or not possible in the current status",
             413: "Request larger than the largest attachable file allows",
             422: "Problems in the request body (errors by field)", 428: "If-Match header missing",
             429: "Rate limit of the token reached"}
    return {str(code): {"description": texts[code], "content": content} for code in codes}


def _ok(schema: dict[str, Any], description: str, status: str = "200") -> dict[str, Any]:
    return {status: {"description": description, "content": {"application/json": {"schema": schema}}}}


def _json_body(name: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": _ref(name)}}}


WRITE: list[dict[str, list[str]]] = [{"token": []}]  # writes need a read-write token or a session (with X-CSRFToken)


def _query(
    name: str, description: str, schema: dict[str, Any] | None = None, many: bool = False
) -> dict[str, Any]:
    base = schema or STR
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": {"type": "array", "items": base} if many else base, "explode": True}


REPORT_ID = {"name": "id", "in": "path", "required": True,
             "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}}
SLUG = {
    "name": "slug",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": "^[a-z0-9-]+$"},
}
FILTER_HELP = {
    "sector": "WZ 2008 section (A–U); repeat for several",
    "size": "solo, micro, small, medium",
    "topic": "topic slug",
    "kind": "case-study, best-practice, method, lesson-learned",
    "centre": "centre slug",
    "state": "federal state, ISO 3166-2 (DE-TH …)",
    "outcome": "worked, partly, failed",
    "tag": "tag",
}


def _paging() -> list[dict[str, Any]]:
    """``page`` and ``per_page`` with the limits every list of the API applies (``hub.paging``)."""
    return [
        _query("page", "page number", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}),
        _query("per_page", "results per page", {"type": "integer", "minimum": 1, "maximum": max_per_page()}),
    ]


def _list_parameters() -> list[dict[str, Any]]:
    """The query parameters of ``GET /practices``: the list filters, status, words and paging."""
    return [
        *(_query(name, FILTER_HELP[name], many=True) for name in LIST_FILTER_NAMES),
        _query("status", "draft, review, published, archived (only what your role may list)", many=True),
        _query("q", 'words, "phrases", -exclude, OR (German search; with words the order is by relevance)'),
        *_paging(),
    ]


def _vocabulary() -> dict[str, list[str]]:
    """The codes the hub knows right now (the spec lists them, so clients can validate)."""
    return {
        "sector": [code for code, _name in stored.sector_choices()],
        "size": list(stored.size_codes()),
        "topic": [slug for slug, _name in stored.topic_choices()],
        "state": list(GERMAN_STATES),
    }


def openapi_document() -> dict[str, Any]:
    codes = _vocabulary()
    paths: dict[str, Any] = {
        "/centres": {"get": {"summary": "The centres of the network", "operationId": "listCentres",
                             "responses": {**_ok(_obj(["results"], results={"type": "array", "items": _ref("Centre")}),
                                                 "All centres"), **_problems(429)}}},
        "/taxonomy": {"get": {"summary": "Sectors, sizes, topics, tag aliases and synonyms", "operationId": "getTaxonomy",
                              "responses": {**_ok(_ref("Taxonomy"), "The vocabulary"), **_problems(429)}}},
        "/practices": {
            "get": {"summary": "Practices you may see, filtered, newest first", "operationId": "listPractices",
                    "parameters": _list_parameters(),
                    "responses": {**_ok(_ref("PracticePage"), "One page of practices"), **_problems(400, 429)}},
            "post": {"summary": "Create a practice (as a draft)", "operationId": "createPractice", "security": WRITE,
                     "requestBody": _json_body("PracticeInput"),
                     "responses": {**_ok(_ref("Practice"), "Created", "201"), **_problems(400, 401, 403, 422, 429)}},
        },
        "/practices/{slug}": {
            "get": {"summary": "One practice (ETag: its head revision)", "operationId": "getPractice",
                    "parameters": [SLUG], "responses": {**_ok(_ref("Practice"), "The practice"), **_problems(404, 429)}},
            "put": {"summary": "Update a practice; If-Match must carry the ETag you started from", "operationId": "updatePractice",
                    "security": WRITE, "parameters": [SLUG, {"name": "If-Match", "in": "header", "required": True, "schema": STR}],
                    "requestBody": _json_body("PracticeInput"),
                    "responses": {**_ok(_ref("Practice"), "Saved (a new revision)"), **_problems(400, 401, 403, 404, 409, 422, 428, 429)}},
        },
        "/practices/{slug}/transitions": {"post": {
            "summary": "Submit, withdraw, approve, send back, archive or unarchive", "operationId": "transitionPractice",
            "security": WRITE, "parameters": [SLUG], "requestBody": _json_body("TransitionInput"),
            "responses": {**_ok(_ref("Practice"), "The practice in its new status"), **_problems(400, 401, 403, 404, 409, 422, 429)}}},
        "/practices/{slug}/experiences": {
            "get": {"summary": "Experience reports of other centres", "operationId": "listExperiences", "parameters": [SLUG],
                    "responses": {**_ok(_obj(["results"], results={"type": "array", "items": _ref("Experience")}), "Reports"),
                                  **_problems(404, 429)}},
            "post": {"summary": "Report “we used it too” (published practices)", "operationId": "addExperience",
                     "security": WRITE, "parameters": [SLUG], "requestBody": _json_body("ExperienceInput"),
                     "responses": {**_ok(_ref("Experience"), "Created", "201"), **_problems(400, 401, 403, 404, 409, 422, 429)}},
        },
        "/practices/{slug}/attachments": {
            "get": {"summary": "Files attached to a practice, in their order", "operationId": "listAttachments",
                    "parameters": [SLUG],
                    "responses": {**_ok(_obj(["results"], results={"type": "array", "items": _ref("Attachment")}), "Files"),
                                  **_problems(404, 429)}},
            "post": {"summary": "Attach a file: PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, CSV, text or PNG/JPEG/WebP, "
                                "recognised by content (macro-enabled Office files, HTML and SVG are refused)",
                     "operationId": "addAttachment", "security": WRITE, "parameters": [SLUG],
                     "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": _obj(
                         ["file"], file={"type": "string", "format": "binary"},
                         title={**STR, "maxLength": 300}, note={**STR, "maxLength": 2000})}}},
                     "responses": {**_ok(_ref("Attachment"), "Attached (a new revision)", "201"),
                                   **_problems(400, 401, 403, 404, 413, 422, 429)}},
        },
        "/experiences/{id}": {
            "put": {"summary": "Change your experience report", "operationId": "updateExperience", "security": WRITE,
                    "parameters": [REPORT_ID], "requestBody": _json_body("ExperienceInput"),
                    "responses": {**_ok(_ref("Experience"), "Saved"), **_problems(400, 401, 403, 404, 422, 429)}},
            "delete": {"summary": "Delete your experience report", "operationId": "deleteExperience", "security": WRITE,
                       "parameters": [REPORT_ID],
                       "responses": {"204": {"description": "Deleted"}, **_problems(401, 403, 404, 429)}},
        },
        "/collections": {
            "get": {"summary": "Collections you may see", "operationId": "listCollections",
                    "responses": {**_ok(_obj(["results"], results={"type": "array", "items": _ref("Collection")}),
                                        "Collections"), **_problems(429)}},
            "post": {"summary": "Create a collection (ordered practice slugs in `practices`)", "operationId": "createCollection",
                     "security": WRITE, "requestBody": _json_body("CollectionInput"),
                     "responses": {**_ok(_ref("Collection"), "Created", "201"), **_problems(400, 401, 403, 422, 429)}},
        },
        "/collections/{slug}": {
            "get": {"summary": "One collection with the practices you may see", "operationId": "getCollection",
                    "parameters": [SLUG], "responses": {**_ok(_ref("Collection"), "The collection"), **_problems(404, 429)}},
            "put": {"summary": "Change a collection; `practices` replaces the order", "operationId": "updateCollection",
                    "security": WRITE, "parameters": [SLUG], "requestBody": _json_body("CollectionInput"),
                    "responses": {**_ok(_ref("Collection"), "Saved"), **_problems(400, 401, 403, 404, 422, 429)}},
        },
        "/search": {"get": {
            "summary": "German full-text search with facets, highlighted snippets and suggestions", "operationId": "search",
            "parameters": [_query("q", "words, \"phrases\", +required, -exclude, OR; question words are ignored"),
                           _query("all", "1: every word must match (no partial matches)", {"enum": ["0", "1"]}),
                           *(_query(name, FILTER_HELP[name], many=True) for name in FILTER_NAMES),
                           _query("sort", "relevance or newest", {"enum": ["relevance", "newest"]}),
                           *_paging()],
            "responses": {**_ok(_ref("SearchResponse"), "One page of results"), **_problems(400, 429)}}},
        "/match": {"get": {
            "summary": "Practices ranked for a client profile, with reasons and evidence", "operationId": "match",
            "parameters": [_query("sector", "WZ 2008 section of the client", {"enum": codes["sector"]}),
                           _query("size", "company size", {"enum": codes["size"]}),
                           _query("state", "federal state, ISO 3166-2 (DE-TH …)", {"enum": codes["state"]}),
                           _query("topic", "topics", {"enum": codes["topic"]}, many=True),
                           _query("q", "free text"), _query("limit", "results", {"type": "integer", "minimum": 1, "maximum": 100})],
            "responses": {**_ok(_ref("MatchResponse"), "Ranked practices"), **_problems(400, 429)}}},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Praxis-Hub API",
            "version": "1.0.0",
            "description": "Case studies, best practices, methods and lessons learned of the Zukunftszentren. "
            "Authenticate with a personal token (profile page) as `Authorization: Bearer …`, or use the "
            "browser session. A token past its expiry date is answered with 401. "
            "Errors are application/problem+json (RFC 9457).",
        },
        "servers": [{"url": "/api/v1"}],
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{}, {"token": []}],
        "paths": paths,
    }
