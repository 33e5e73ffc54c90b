"""Forms for curating collections."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from hub.fields import COLLECTION_SLUGS, SLUG_RE, column_length
from hub.filters import FILTER_NAMES
from hub.forms import NotReserved, TextForm
from hub.models import Collection
from hub.vocabulary import Visibility, label


class CollectionForm(TextForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=column_length(Collection.title))])
    slug = StringField(
        _l("Address (slug)"),
        validators=[
            Optional(),
            Length(max=COLLECTION_SLUGS.max_length),
            Regexp(SLUG_RE, message=_l("Lower-case words joined by “-”.")),
            NotReserved(COLLECTION_SLUGS),
        ],
        description=_l(
            "Part of the web address, e.g. ki-einstieg-handwerk. Left empty, it is made from the title."
        ),
    )
    visibility = RadioField(_l("Visibility"), default=Visibility.PUBLIC.value, validators=[DataRequired()])
    centre = SelectField(_l("Curating centre"), validators=[Optional()])
    intro = TextAreaField(_l("Introduction (Markdown)"), validators=[Length(max=50_000)])
    # The optional saved search; the view fills the choices from the vocabulary (``search_fields``).
    search_q = StringField(
        _l("Search words"),
        validators=[Optional(), Length(max=200)],
        description=_l('As on the search page: all words must match; "phrases", -exclude, OR.'),
    )
    search_sector = SelectMultipleField(_l("Sector"), validators=[Optional()])
    search_size = SelectMultipleField(_l("Company size"), validators=[Optional()])
    search_topic = SelectMultipleField(_l("Topic"), validators=[Optional()])
    search_kind = SelectMultipleField(_l("Kind"), validators=[Optional()])
    search_centre = SelectMultipleField(_l("Centre"), validators=[Optional()])
    search_state = SelectMultipleField(_l("Federal state"), validators=[Optional()])
    search_outcome = SelectMultipleField(_l("Outcome"), validators=[Optional()])
    search_tag = SelectMultipleField(_l("Tags"), validators=[Optional()])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.visibility.choices = [SelectChoice(v.value, label(v)) for v in Visibility]

    def search_fields(self) -> dict[str, SelectMultipleField]:
        """Filter name (as on ``/search``) → its multiselect."""
        return {name: getattr(self, f"search_{name}") for name in FILTER_NAMES}


class AddPracticeForm(FlaskForm):
    practice = StringField(_l("Practice (address or title)"), validators=[DataRequired(), Length(max=300)])


class ItemForm(FlaskForm):
    """Move or remove one practice; works without JavaScript."""

    practice_id = HiddenField(validators=[DataRequired()])


class DeleteForm(FlaskForm):
    confirm = BooleanField(
        _l("Yes, delete this collection (the practices stay)."), validators=[DataRequired()]
    )
