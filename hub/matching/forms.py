"""The client-profile form (GET, so a profile is a shareable URL) and saving a profile."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SearchField, SelectField, SelectMultipleField, StringField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from hub.extensions import db
from hub.forms import TextForm
from hub.models import CompanySize, Sector, Topic
from hub.vocabulary import GERMAN_STATES


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ProfileForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form: nothing changes

    sector = SelectField(_l("Sector of the business"), validators=[Optional()])
    size = SelectField(_l("Company size"), validators=[Optional()])
    state = SelectField(_l("Federal state"), validators=[Optional()])
    topic = CheckboxesField(_l("Topics of interest"), validators=[Optional()])
    q = SearchField(_l("What is it about? (optional)"), validators=[Optional(), Length(max=200)])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        any_choice = SelectChoice("", str(_l("— any —")))
        sectors = db.session.scalars(sa.select(Sector).order_by(Sector.code))
        self.sector.choices = [any_choice, *(SelectChoice(s.code, f"{s.code} – {s.name}") for s in sectors)]
        sizes = db.session.scalars(sa.select(CompanySize).order_by(CompanySize.position))
        self.size.choices = [any_choice, *(SelectChoice(s.code, s.name) for s in sizes)]
        self.state.choices = [any_choice, *(SelectChoice(code, name) for code, name in GERMAN_STATES.items())]
        topics = db.session.scalars(sa.select(Topic).order_by(Topic.position))
        self.topic.choices = [SelectChoice(t.slug, t.name) for t in topics]


class SaveProfileForm(TextForm):
    label = StringField(
        _l("Name for this profile"),
        validators=[DataRequired(), Length(max=80)],
        description=_l("For example “Tischlerei, 12 Beschäftigte” — no client names or personal data."),
    )
