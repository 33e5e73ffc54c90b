"""Every user-written text of writing and review renders inert with the whole XSS corpus:
titles and summaries (review queue, diff, editor), tags, review comments, experience notes,
revision messages and upload file names. Payloads are chunked to keep the suite fast."""

from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa

from hub.extensions import db
from hub.markdown import render
from hub.models import Centre, ExperienceReport, Practice, Revision, StatusChange, Upload
from hub.practices.operations import practice_data, update_practice
from hub.uploads.operations import markdown_for
from hub.vocabulary import Kind, Result, Status, Visibility
from tests.factories import make_practice, user
from tests.html_checks import executable_markup
from tests.support import csrf_token, xss_payloads
from tests.test_editor import PNG, valid_form

CHUNK = 1000


@pytest.fixture(scope="module")
def payloads() -> list[str]:
    return xss_payloads()


def _chunks(items: list[str], size: int = CHUNK) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _inert(html: str) -> None:
    found = executable_markup(html)
    assert found == [], found[:5]


def test_titles_and_summaries_in_the_review_queue_and_recent_changes(client, login_as, payloads):
    centre_id = db.session.scalar(sa.select(Centre.id).where(Centre.slug == "zz-sachsen"))
    mkoch = user("mkoch").id
    login_as("mkoch")
    for n, chunk in enumerate(_chunks(payloads)):
        db.session.execute(
            sa.insert(Practice),
            [
                dict(slug=f"xss-q-{n}-{i}", title=p[:300], summary=p, kind=Kind.CASE_STUDY,
                     centre_id=centre_id, visibility=Visibility.PUBLIC, status=Status.REVIEW, body="")
                for i, p in enumerate(chunk)
            ],
        )
        ids = db.session.scalars(sa.select(Practice.id).where(Practice.slug.like(f"xss-q-{n}-%"))).all()
        db.session.execute(
            sa.insert(Revision),
            [
                dict(practice_id=pid, number=2, author_id=mkoch, message="\n".join(chunk[k::200]),
                     data={}, body="")
                for k, pid in enumerate(ids[:200])
            ],
        )
        db.session.commit()
        html = client.get("/review/").get_data(as_text=True)
        assert html.count('class="card"') >= len(chunk)
        _inert(html)
        db.session.execute(sa.update(Practice).where(Practice.id.in_(ids)).values(status=Status.PUBLISHED))
        db.session.commit()
        _inert(client.get("/review/").get_data(as_text=True))  # now under "recent changes"
        db.session.execute(sa.delete(Practice).where(Practice.id.in_(ids)))
        db.session.commit()


def test_revision_messages_and_review_comments_in_the_history(client, login_as, payloads):
    """Ten payloads per message and comment keep the page small; every payload appears."""
    practice = make_practice(centre="zz-sachsen")
    tbauer, mkoch = user("tbauer").id, user("mkoch").id
    login_as("mkoch")
    grouped = ["\n".join(payloads[i : i + 10]) for i in range(0, len(payloads), 10)]
    db.session.execute(
        sa.insert(Revision),
        [
            dict(practice_id=practice.id, number=100 + i, author_id=tbauer, message=text, data={}, body="")
            for i, text in enumerate(grouped)
        ],
    )
    db.session.execute(
        sa.insert(StatusChange),
        [
            dict(practice_id=practice.id, actor_id=mkoch, from_status=Status.REVIEW, to_status=Status.DRAFT,
                 comment=text)
            for text in grouped
        ],
    )
    db.session.commit()
    html = client.get(f"/practices/{practice.slug}/history").get_data(as_text=True)
    assert html.count('class="message"') == len(grouped) + 1
    _inert(html)


def test_experience_notes_on_the_practice_page(client, login_as, payloads):
    practice = make_practice(sectors=["C"])
    author = user("jlehmann")
    login_as("jlehmann")  # the author sees edit/delete links next to each report too
    grouped = ["\n".join(payloads[i : i + 10]) for i in range(0, len(payloads), 10)]
    db.session.execute(
        sa.insert(ExperienceReport),
        [
            dict(practice_id=practice.id, centre_id=author.centre_id, sector_code="C", size_code="micro",
                 result=Result.WORKED, date=date(2025, 1, 1), note=text, author_id=author.id)
            for text in grouped
        ],
    )
    db.session.commit()
    html = client.get(f"/practices/{practice.slug}").get_data(as_text=True)
    assert html.count('class="note"') == len(grouped)
    _inert(html)


def test_diff_of_titles_summaries_and_bodies(client, payloads):
    practice = make_practice()
    for n, chunk in enumerate(_chunks(payloads, 300)):
        old = {"title": chunk[0], "summary": "\n".join(chunk[: len(chunk) // 2]), "tags": chunk[:20]}
        new = {"title": chunk[-1], "summary": "\n".join(chunk[len(chunk) // 2 :]), "tags": chunk[20:40]}
        db.session.add(
            Revision(practice_id=practice.id, number=1000 + 2 * n, data=old, body="\n".join(chunk))
        )
        db.session.add(
            Revision(practice_id=practice.id, number=1001 + 2 * n, data=new, body="\n".join(reversed(chunk)))
        )
        db.session.commit()
        html = client.get(f"/practices/{practice.slug}/diff?from={1000 + 2 * n}&to={1001 + 2 * n}")
        _inert(html.get_data(as_text=True))


def test_editor_echoes_titles_summaries_tags_and_messages_inertly(client, login_as, payloads):
    login_as("tbauer")
    for chunk in _chunks(payloads, 150):
        joined = "\n".join(chunk)
        data = valid_form(
            client, title=joined, summary=joined, tags=", ".join(chunk), message=joined, body=joined
        )
        response = client.post("/practices/new", data=data)
        assert response.status_code == 422  # too long, bad tags …: the page echoes every value
        _inert(response.get_data(as_text=True))
        data["action"] = "preview"
        _inert(client.post("/practices/new", data=data).get_data(as_text=True))


def test_conflict_page_shows_both_versions_inertly(client, login_as, payloads):
    practice = make_practice(centre="zz-sachsen")
    base = practice.head_revision_id
    sample = payloads[:: max(1, len(payloads) // 120)]

    data = practice_data(practice)
    data.summary = "\n".join(sample)
    data.body = "\n".join(sample)
    update_practice(user("mkoch"), practice, data, message=sample[0][:500])
    db.session.commit()
    login_as("tbauer")
    form = valid_form(client, title=practice.title, base_revision=str(base), body="\n".join(reversed(sample)))
    form["csrf_token"] = csrf_token(client, f"/practices/{practice.slug}/edit")
    response = client.post(f"/practices/{practice.slug}/edit", data=form)
    assert response.status_code == 409
    _inert(response.get_data(as_text=True))


def test_upload_file_names_become_inert_alt_texts(payloads):
    upload = Upload(name="0" * 32 + ".png", original_name="x", content_type="image/png", size=1)
    for chunk in _chunks(payloads, 500):
        markdown = "\n\n".join(markdown_for(upload, name) for name in chunk)
        html = str(render(markdown))
        _inert(html)
        assert html.count('src="/uploads/' + "0" * 32 + '.png"') == len(chunk)


def test_uploaded_file_name_over_http(client, login_as):
    login_as("tbauer")
    name = '"><img src=x onerror=alert(1)>](javascript:alert(1))<script>alert(1)</script>.png'
    data = valid_form(client, action="upload", image=(io.BytesIO(PNG), name))
    html = client.post("/practices/new", data=data, content_type="multipart/form-data").get_data(as_text=True)
    _inert(html)
    data = valid_form(
        client, action="preview", body=html.split('name="body"')[1].split(">", 1)[1].split("</textarea>")[0]
    )
    _inert(client.post("/practices/new", data=data).get_data(as_text=True))
