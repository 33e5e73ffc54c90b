"""Creating personal API tokens."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from hub.api.tokens import hub_today
from hub.fields import column_length
from hub.forms import TextForm
from hub.models import ApiToken


class TokenForm(TextForm):
    name = StringField(
        _l("Name of the token"),
        validators=[DataRequired(), Length(max=column_length(ApiToken.name))],
        description=_l("For example the program that uses it."),
    )
    scope = RadioField(
        _l("Allowed"),
        choices=[SelectChoice("read", _l("read only")), SelectChoice("read-write", _l("read and write"))],
        default="read",
        validators=[DataRequired()],
    )
    valid_until = DateField(_l("Valid until (optional)"), validators=[Optional()],
                            description=_l("Leave empty for a token without expiry date."))

    def validate_valid_until(self, field: DateField) -> None:
        if field.data is not None and field.data < hub_today():
            raise ValidationError(_l("The date lies in the past."))
