"""The editor's forms (Flask-WTF: CSRF on every form). Labels and messages are German via Babel."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from hub.extensions import db
from hub.fields import MAX_BODY, PRACTICE_SLUGS, SLUG_RE, column_length, normalise_tag, valid_tag
from hub.forms import NotReserved, TextForm
from hub.models import Centre, Practice, User
from hub.practices.experiences import may_report_for
from hub.vocabulary import Kind, LinkType, Result, Visibility, label, stored

RELATED_ROWS = 3  # empty rows offered for new links (more after saving)


class AtLeastOne:
    """Like DataRequired, without marking every single checkbox of the group as required."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        if not field.data:
            field.errors[:] = []
            raise StopValidation(self.message)


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes (rendered inside a fieldset with a legend)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RelatedForm(Form):
    slug = StringField(_l("Write-up (slug)"), validators=[Optional(), Length(max=PRACTICE_SLUGS.max_length)])
    type = SelectField(_l("Kind of link"), choices=[], validate_choice=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.type.choices = [(t.value, label(t)) for t in LinkType]


class HubForm(TextForm):
    def error_count(self) -> int:
        """Errors of every field, including those added after validation (links, tags, conflicts)."""
        return len(self.form_errors) + sum(_field_error_count(field) for field in self)


class PracticeForm(HubForm):
    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(_l("Please enter a title.")),
            Length(max=column_length(Practice.title), message=_l("At most %(max)d characters.")),
        ],
    )
    slug = StringField(
        _l("Address (slug)"),
        description=_l("Lower case letters, digits and hyphens; left empty, it is made from the title."),
        validators=[
            Optional(),
            Length(max=PRACTICE_SLUGS.max_length, message=_l("At most %(max)d characters.")),
            NotReserved(PRACTICE_SLUGS),
        ],
    )
    kind = SelectField(_l("Kind"), validators=[InputRequired(_l("Please choose a kind."))])
    centre = SelectField(_l("Centre"), validators=[InputRequired(_l("Please choose a centre."))])
    authors = StringField(
        _l("Authors"),
        description=_l("User names, separated by commas."),
        validators=[Length(max=500, message=_l("At most %(max)d characters."))],
    )
    summary = TextAreaField(
        _l("Summary"),
        description=_l("Two or three sentences: what was done, for whom, with what result."),
        validators=[
            DataRequired(_l("Please write a short summary.")),
            Length(max=2000, message=_l("At most %(max)d characters.")),
        ],
    )
    sectors = MultiCheckboxField(
        _l("Sectors (WZ 2008)"), validators=[AtLeastOne(_l("Choose at least one sector."))]
    )
    sizes = MultiCheckboxField(
        _l("Company sizes"), validators=[AtLeastOne(_l("Choose at least one company size."))]
    )
    topics = MultiCheckboxField(_l("Topics"), validators=[AtLeastOne(_l("Choose at least one topic."))])
    tags = StringField(
        _l("Tags"),
        description=_l("Free keywords, separated by commas, e.g. “angebotserstellung, sprachmodell”."),
        validators=[Length(max=1000, message=_l("At most %(max)d characters."))],
    )
    confirm_new_tags = BooleanField(_l("Keep my new tags anyway"))
    visibility = RadioField(
        _l("Visibility"), validators=[InputRequired(_l("Please choose who may read it."))]
    )
    outcome_result = SelectField(_l("Result"), validators=[Optional()])
    outcome_effort_days = DecimalField(
        _l("Effort in days"),
        places=1,
        validators=[Optional(), NumberRange(min=0, max=9999, message=_l("A number between 0 and 9999."))],
    )
    outcome_cost_eur = IntegerField(
        _l("Cost in euros"),
        validators=[
            Optional(),
            NumberRange(min=0, max=100_000_000, message=_l("A whole number of at least 0.")),
        ],
    )
    related = FieldList(FormField(RelatedForm), min_entries=RELATED_ROWS)
    body = TextAreaField(
        _l("Text (Markdown)"), validators=[Length(max=MAX_BODY, message=_l("At most %(max)d characters."))]
    )
    image = FileField(_l("Image (PNG, JPEG or WebP)"))
    image_alt = StringField(_l("Image description (alternative text)"), validators=[Length(max=120)])
    message = StringField(
        _l("What did you change? (optional)"),
        validators=[Length(max=500, message=_l("At most %(max)d characters."))],
    )
    base_revision = HiddenField()
    source_file = HiddenField()  # signed token of the Word file a draft was made from (attached on save)
    source_name = ""

    def set_choices(self, centres: list[Centre]) -> None:
        self.kind.choices = [(k.value, label(k)) for k in Kind]
        self.centre.choices = [(c.slug, c.name) for c in centres]
        self.sectors.choices = stored.sector_choices()
        self.sizes.choices = stored.size_choices()
        self.topics.choices = stored.topic_choices()
        self.visibility.choices = [(v.value, label(v)) for v in Visibility]
        self.outcome_result.choices = [("", _("– not stated –"))] + [(r.value, label(r)) for r in Result]

    def validate_slug(self, field: StringField) -> None:
        if field.data and not SLUG_RE.match(field.data):
            raise ValidationError(_("Only lower case letters a–z, digits and single hyphens."))

    def validate_authors(self, field: StringField) -> None:
        names = split_list(field.data)
        known = set(db.session.scalars(sa.select(User.username).where(User.username.in_(names))))
        unknown = [n for n in names if n not in known]
        if unknown:
            raise ValidationError(_("Unknown user names: %(names)s", names=", ".join(unknown)))

    def validate_tags(self, field: StringField) -> None:
        bad = [t for t in split_list(field.data) if not valid_tag(normalise_tag(t))]
        if bad:
            raise ValidationError(
                _("Tags are words in lower case joined by hyphens; not valid: %(tags)s", tags=", ".join(bad))
            )

    def error_count(self) -> int:
        """Errors of every field, including those added after validation (links, tags, conflicts)."""
        return len(self.form_errors) + sum(_field_error_count(field) for field in self)


class TransitionForm(TextForm):
    comment = TextAreaField(
        _l("Comment"), validators=[Length(max=2000, message=_l("At most %(max)d characters."))]
    )


class ConfirmForm(FlaskForm):
    """A button with nothing but the CSRF token (restore, still valid, delete …)."""

    confirm = BooleanField(_l("Yes, delete this practice and all its versions for good"))


class ExperienceForm(HubForm):
    centre = SelectField(
        _l("Your centre"), coerce=int, validators=[InputRequired(_l("Please choose a centre."))]
    )
    sector = SelectField(
        _l("Sector of the company"), validators=[InputRequired(_l("Please choose a sector."))]
    )
    size = SelectField(_l("Company size"), validators=[InputRequired(_l("Please choose a company size."))])
    result = RadioField(_l("Result"), validators=[InputRequired(_l("Please say how it went."))])
    date = DateField(_l("When"), validators=[InputRequired(_l("Please enter a date."))], default=date.today)
    note = TextAreaField(_l("Note"), validators=[Length(max=2000, message=_l("At most %(max)d characters."))])

    def set_choices(self, user: Any, report: Any = None) -> None:
        """Centres ``user`` may report for (``may_report_for``), sectors, sizes and results."""
        self.centre.choices = [(c.id, c.name) for c in stored.centres() if may_report_for(user, c.id, report)]
        self.sector.choices = stored.sector_choices()
        self.size.choices = stored.size_choices()
        self.result.choices = [(r.value, label(r)) for r in Result]

    def validate_date(self, field: DateField) -> None:
        if field.data and field.data > date.today():
            raise ValidationError(_("The date lies in the future."))


def split_list(text: str | None) -> list[str]:
    """Comma- or line-separated values, stripped, without empties and repeats."""
    return list(dict.fromkeys(part.strip() for part in re.split(r"[,\n]", text or "") if part.strip()))


def _field_error_count(field: Any) -> int:
    if isinstance(field, FieldList):
        return sum(_field_error_count(entry) for entry in field)
    if isinstance(field, FormField):
        return sum(_field_error_count(sub) for sub in field.form)
    return len(field.errors) if isinstance(field.errors, list) else 0
