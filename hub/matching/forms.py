"""The client-profile form (GET, so a profile is a shareable URL) and saving a profile."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SearchField, SelectField, SelectMultipleField, StringField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from hub.fields import column_length
from hub.forms import TextForm
from hub.matching.scoring import Profile
from hub.models import SavedProfile
from hub.vocabulary import GERMAN_STATES, stored


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
        self.sector.choices = [any_choice, *(SelectChoice(*choice) for choice in stored.sector_choices())]
        self.size.choices = [any_choice, *(SelectChoice(*choice) for choice in stored.size_choices())]
        self.state.choices = [any_choice, *(SelectChoice(code, name) for code, name in GERMAN_STATES.items())]
        self.topic.choices = [SelectChoice(*choice) for choice in stored.topic_choices()]


class SaveProfileForm(TextForm):
    label = StringField(
        _l("Name for this profile"),
        validators=[DataRequired(), Length(max=column_length(SavedProfile.label))],
        description=_l("For example “Tischlerei, 12 Beschäftigte” — no client names or personal data."),
    )


def profile_from_args(args: object) -> tuple[Profile, ProfileForm]:
    form = ProfileForm(args)
    form.validate()

    def valid(field: Any) -> Any:
        return field.data if field.data and not field.errors else None

    topics = tuple(t for t in (form.topic.data or []) if t in {c.value for c in form.topic.choices})
    return Profile(
        valid(form.sector), valid(form.size), valid(form.state), topics, (form.q.data or "").strip()
    ), form
