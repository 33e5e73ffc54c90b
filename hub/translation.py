"""Translations in templates, looked up once per render instead of once per string.

Flask-Babel's template callables find the current locale and its catalogue for every string; a
page with a hundred strings spent more time there than in its own work. Here a context processor
puts the catalogue and the vocabulary labels of the current locale into the template context
once, and the gettext callables read them from there (outside ``render_template`` they fall back
to Flask-Babel's lookup).
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import get_locale, get_translations
from jinja2 import pass_context
from jinja2.runtime import Context

from hub.vocabulary import label_table

CATALOGUE = "_catalogue"


def init_app(app: Flask) -> None:
    app.context_processor(_for_this_render)
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # added by the jinja2.ext.i18n extension Flask loads
        gettext=_gettext, ngettext=_ngettext, pgettext=_pgettext, npgettext=_npgettext, newstyle=True
    )


def _for_this_render() -> dict[str, Any]:
    table = label_table(str(get_locale()))
    return {CATALOGUE: get_translations(), "label": lambda value: table.get(str(value)) or str(value)}


def _catalogue(context: Context) -> Any:
    catalogue = context.get(CATALOGUE)
    return get_translations() if catalogue is None else catalogue


@pass_context
def _gettext(context: Context, string: str) -> str:
    return _catalogue(context).ugettext(string)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, num: int) -> str:
    return _catalogue(context).ungettext(singular, plural, num)


@pass_context
def _pgettext(context: Context, msgctxt: str, string: str) -> str:
    return _catalogue(context).upgettext(msgctxt, string)


@pass_context
def _npgettext(context: Context, msgctxt: str, singular: str, plural: str, num: int) -> str:
    return _catalogue(context).unpgettext(msgctxt, singular, plural, num)
