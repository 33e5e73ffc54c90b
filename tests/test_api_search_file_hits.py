"""The search API says when a hit matched only in an attached file, as the search page does
("im Anhang: <name>"), and the OpenAPI description documents the field."""

from __future__ import annotations

from hub.attachments.operations import add_attachment
from hub.extensions import db
from tests.factories import make_practice, user
from tests.sample_files import docx

WORD = "Kalibrierprotokollvorlage"


def test_a_hit_only_in_a_file_names_the_file_others_name_none(client, session):
    """Rule: ``matched_file`` is the attachment's name when the words are only there (the snippet
    comes from it), null when the practice's own text matched."""
    in_file = make_practice(title="Messmittel im Betrieb", body="Ein Absatz über Messmittel.")
    add_attachment(user("tbauer"), in_file, docx("Anhang.", f"Die {WORD} liegt bei."), "Vorlage Messmittel.docx")
    in_text = make_practice(title="Vorlagen für Protokolle", body=f"Unsere {WORD} im Text.")
    db.session.commit()
    results = {hit["slug"]: hit for hit in client.get(f"/api/v1/search?q={WORD}").get_json()["results"]}
    assert set(results) == {in_file.slug, in_text.slug}
    assert results[in_file.slug]["matched_file"] == "Vorlage Messmittel.docx"
    assert f"<mark>{WORD}</mark>" in results[in_file.slug]["snippet"]
    assert results[in_text.slug]["matched_file"] is None
    schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["SearchResponse"]
    hit = schema["properties"]["results"]["items"]
    assert "matched_file" in hit["required"] and "attached file" in hit["properties"]["matched_file"]["description"]
