"""Forms for following and digests."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired


class WatchForm(FlaskForm):
    target = HiddenField(validators=[DataRequired()])
    key = HiddenField(validators=[DataRequired()])
    next = HiddenField()


class DigestForm(FlaskForm):
    digest = RadioField(
        _l("E-mail summary of your notifications"),
        choices=[
            SelectChoice("none", _l("No e-mail")),
            SelectChoice("daily", _l("Daily")),
            SelectChoice("weekly", _l("Weekly")),
        ],
        validators=[DataRequired()],
    )
