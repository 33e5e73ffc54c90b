"""Creating personal API tokens."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from hub.forms import TextForm


class TokenForm(TextForm):
    name = StringField(_l("Name of the token"), validators=[DataRequired(), Length(max=80)],
                       description=_l("For example the program that uses it."))  # fmt: skip
    scope = RadioField(
        _l("Allowed"),
        choices=[SelectChoice("read", _l("read only")), SelectChoice("read-write", _l("read and write"))],
        default="read",
        validators=[DataRequired()],
    )
