"""The account page is one document with several forms: every id is unique and every label points
at its own field (issue 14 noted two ``id="name"``: the token label named the profile's field)."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tests.html_checks import duplicate_ids, unlabelled_controls


def test_the_account_page_has_unique_ids_and_labelled_fields(client, session, login_as):
    """Rule: no id twice on /account (also with a token listed); each label belongs to its field."""
    login_as("tbauer")
    html = client.get("/account").get_data(as_text=True)
    assert duplicate_ids(html) == []
    assert unlabelled_controls(html) == []
    soup = BeautifulSoup(html, "html.parser")
    token_form = soup.select_one("#api-tokens form.edit-form")
    name_label = token_form.find("label", string=lambda text: text and "Token" in text)
    assert token_form.find(id=name_label["for"])["name"] == "name"


def test_the_checks_find_what_they_look_for():
    """The checks themselves: a repeated id and a label pointing elsewhere are reported."""
    page = '<label for="a">A</label><input id="a" name="a"><input id="a" name="b"><input name="c">'
    assert duplicate_ids(page) == ["a"]
    assert unlabelled_controls(page) == ["<input name='c'>"]
    assert unlabelled_controls('<label for="x">X</label><input name="x">') == ["label for='x'", "<input name='x'>"]
