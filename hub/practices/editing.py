"""What the editor needs besides saving: form ↔ data, tag and link suggestions, near-duplicate tags."""

from __future__ import annotations

import difflib
from dataclasses import replace
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from hub.auth.permissions import is_privileged
from hub.extensions import db
from hub.fields import PRACTICE_SLUGS, canonical_tag, normalise_tag
from hub.models import Centre, Practice, Tag, TagAlias
from hub.practices.data import Outcome, PracticeData, RelatedLink
from hub.practices.forms import PracticeForm, split_list
from hub.practices.queries import visible_tag_counts
from hub.visibility import visible_clause
from hub.vocabulary import Status, Visibility
from hub.vocabulary.stored import ORDER


def centres_for(user: Any) -> list[Centre]:
    """The centres a user may create practices for: all for coordinators, else their own."""
    stmt = sa.select(Centre).order_by(*ORDER[Centre])
    if not is_privileged(user):
        stmt = stmt.where(Centre.id == user.centre_id)
    return list(db.session.scalars(stmt))


def fill_form(form: PracticeForm, data: PracticeData, base_revision_id: int | None) -> None:
    """Put a practice (or a revision of it) into the empty editor form."""
    form.title.data = data.title
    form.slug.data = data.slug
    form.kind.data = data.kind
    form.centre.data = data.centre
    form.authors.data = ", ".join(data.authors)
    form.summary.data = data.summary
    form.sectors.data = list(data.sectors)
    form.sizes.data = list(data.sizes)
    form.topics.data = list(data.topics)
    form.tags.data = ", ".join(data.tags)
    form.visibility.data = data.visibility
    form.outcome_result.data = data.outcome.result if data.outcome else ""
    form.outcome_effort_days.data = data.outcome.effort_days if data.outcome else None
    form.outcome_cost_eur.data = data.outcome.cost_eur if data.outcome else None
    while len(form.related.entries):
        form.related.pop_entry()
    for link in [*data.related, *[None] * 3]:
        entry = form.related.append_entry()
        entry.form.slug.data = link.slug if link else ""
        entry.form.type.data = link.type if link else "see-also"
    form.body.data = data.body
    form.base_revision.data = str(base_revision_id or "")


def as_seen_by(user: Any, data: PracticeData) -> PracticeData:
    """``data`` without related links to practices ``user`` may not see (the editor never shows them;
    saving keeps them, ``hub.practices.operations.keep_hidden_links``)."""
    slugs = [link.slug for link in data.related]
    if not slugs:
        return data
    visible = sa.select(Practice.slug).where(Practice.slug.in_(slugs), visible_clause(user))
    seen = set(db.session.scalars(visible))
    return replace(data, related=[link for link in data.related if link.slug in seen])


def data_from_form(form: PracticeForm, practice: Practice | None) -> PracticeData:
    """The practice as the form describes it; status and dates stay as they are (workflow sets them)."""
    outcome = None
    if form.outcome_result.data:
        effort = form.outcome_effort_days.data
        outcome = Outcome(
            form.outcome_result.data,
            Decimal(effort).quantize(Decimal("0.1")) if effort is not None else None,
            form.outcome_cost_eur.data,
        )
    return PracticeData(
        title=form.title.data.strip(),
        slug=(form.slug.data or "").strip() or PRACTICE_SLUGS.make(form.title.data),
        kind=form.kind.data,
        centre=form.centre.data,
        authors=split_list(form.authors.data),
        summary=form.summary.data.strip(),
        sectors=list(form.sectors.data),
        sizes=list(form.sizes.data),
        topics=list(form.topics.data),
        tags=[normalise_tag(t) for t in split_list(form.tags.data)],
        visibility=form.visibility.data or Visibility.PUBLIC.value,
        status=practice.status.value if practice else Status.DRAFT.value,
        published=practice.published if practice else None,
        updated=practice.updated if practice else None,
        review_due=practice.review_due if practice else None,
        outcome=outcome,
        related=related_links(form),
        body=form.body.data or "",  # line endings: TextForm
    )


def related_links(form: PracticeForm) -> list[RelatedLink]:
    return list(
        dict.fromkeys(
            RelatedLink(entry.form.slug.data.strip(), entry.form.type.data)
            for entry in form.related
            if (entry.form.slug.data or "").strip()
        )
    )


def check_related(form: PracticeForm, user: Any, own_slug: str | None) -> bool:
    """Related links must point at practices the editor can see (hidden and missing look alike)."""
    ok = True
    slugs = [link.slug for link in related_links(form)]
    visible = set(
        db.session.scalars(sa.select(Practice.slug).where(Practice.slug.in_(slugs), visible_clause(user)))
    )

    for entry in form.related:
        slug = (entry.form.slug.data or "").strip()
        if not slug:
            continue
        if slug == own_slug:
            entry.form.slug.errors = [*entry.form.slug.errors, _("A write-up cannot link to itself.")]
            ok = False
        elif slug not in visible:
            entry.form.slug.errors = [*entry.form.slug.errors, _("No write-up with this address.")]
            ok = False
    return ok


def near_duplicate_tags(names: list[str]) -> dict[str, str]:
    """New tags (neither tag nor alias) that look like an existing tag: {typed: existing canonical}."""
    existing = list(db.session.scalars(sa.select(Tag.name)))
    aliases = dict(db.session.execute(sa.select(TagAlias.alias, Tag.name).join(Tag)).tuples().all())
    known = set(existing) | set(aliases)
    found: dict[str, str] = {}
    for name in names:
        name = normalise_tag(name)
        if name in known:
            continue
        match = _close(name, [*existing, *aliases])
        if match:
            found[name] = aliases.get(match, match)
    return found


def suggest_tags(user: Any, prefix: str, limit: int = 10) -> list[dict[str, Any]]:
    """Existing tags for the autocomplete, most used first: prefix matches, then alias hits and
    near-duplicates, each resolved to its canonical tag — only tags ``user`` may know of, counted
    over the practices they may see."""
    prefix = normalise_tag(prefix)
    if not prefix:
        return []
    counts = visible_tag_counts(user)
    aliases = {
        alias: name
        for alias, name in db.session.execute(sa.select(TagAlias.alias, Tag.name).join(Tag)).all()
        if name in counts
    }
    hits: dict[str, str] = {}
    for name in sorted(counts, key=lambda n: (-counts[n], n)):
        if name.startswith(prefix) or (len(prefix) >= 3 and prefix in name):
            hits.setdefault(name, "")
    for alias, target in sorted(aliases.items()):
        if alias.startswith(prefix):
            hits.setdefault(target, alias)
    close = _close(prefix, [*counts, *aliases])
    if close:
        hits.setdefault(aliases.get(close, close), "")
    return [{"name": name, "alias": alias, "count": counts.get(name, 0)} for name, alias in hits.items()][
        :limit
    ]


def suggest_practices(user: Any, text: str, limit: int = 10) -> list[dict[str, str]]:
    """Practices the user may see whose slug or title contains ``text``, for related links."""
    text = text.strip().lower()
    if len(text) < 2:
        return []
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = db.session.execute(
        sa.select(Practice.slug, Practice.title)
        .where(visible_clause(user))
        .where(
            sa.or_(
                Practice.slug.like(pattern, escape="\\"),
                sa.func.lower(Practice.title).like(pattern, escape="\\"),
            )
        )
        .order_by(Practice.title)
        .limit(limit)
    )
    return [{"slug": slug, "title": title} for slug, title in rows]


def resolved_tags(names: list[str]) -> list[str]:
    return list(dict.fromkeys(canonical_tag(n) for n in names))


def _close(name: str, candidates: list[str]) -> str | None:
    if len(name) < 4:
        return None
    for candidate in candidates:  # "schichtplan" vs "schichtplanung": one is the start of the other
        if len(candidate) >= 4 and (candidate.startswith(name) or name.startswith(candidate)):
            return candidate
    matches = difflib.get_close_matches(name, candidates, n=1, cutoff=0.82)
    return matches[0] if matches else None
