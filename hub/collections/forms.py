"""Forms for curating collections."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from hub.exchange.fields import SLUG_RE
from hub.vocabulary import Visibility, label


class CollectionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    slug = StringField(
        _l("Address (slug)"),
        validators=[
            Optional(),
            Length(max=120),
            Regexp(SLUG_RE, message=_l("Lower-case words joined by “-”.")),
        ],
        description=_l(
            "Part of the web address, e.g. ki-einstieg-handwerk. Left empty, it is made from the title."
        ),
    )
    visibility = RadioField(_l("Visibility"), default=Visibility.PUBLIC.value, validators=[DataRequired()])
    centre = SelectField(_l("Curating centre"), validators=[Optional()])
    intro = TextAreaField(_l("Introduction (Markdown)"), validators=[Length(max=50_000)])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.visibility.choices = [SelectChoice(v.value, label(v)) for v in Visibility]


class AddPracticeForm(FlaskForm):
    practice = StringField(_l("Practice (address or title)"), validators=[DataRequired(), Length(max=300)])


class ItemForm(FlaskForm):
    """Move or remove one practice; works without JavaScript."""

    practice_id = HiddenField(validators=[DataRequired()])


class DeleteForm(FlaskForm):
    confirm = BooleanField(
        _l("Yes, delete this collection (the practices stay)."), validators=[DataRequired()]
    )
