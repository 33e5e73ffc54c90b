"""Account forms and the audit-log filters for admins."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from hub.fields import column_length
from hub.forms import TextForm
from hub.models import User
from hub.vocabulary import Role, label


class UserForm(TextForm):
    username = StringField(
        _l("User name"), validators=[DataRequired(), Length(max=column_length(User.username))]
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=column_length(User.name))])
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=column_length(User.email))],
    )
    role = SelectField(_l("Role"), validators=[DataRequired()])
    centre = SelectField(_l("Centre"), validators=[Optional()])
    active = BooleanField(_l("Active (may log in)"), default=True)
    password = PasswordField(
        _l("New password"),
        validators=[Optional(), Length(min=10, max=200)],
        description=_l("At least 10 characters. Leave empty to keep the current password."),
    )

    def __init__(self, *args: object, centres: Sequence[tuple[str, str]] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = [SelectChoice(r.value, label(r)) for r in Role]
        self.centre.choices = [
            SelectChoice("", str(_l("— none —"))),
            *(SelectChoice(v, t) for v, t in centres),
        ]


class AuditFilterForm(FlaskForm):
    """The filters of /admin/audit (GET: no CSRF token, nothing changes)."""

    class Meta:
        csrf = False

    actor = StringField(_l("Who (user name)"), validators=[Optional(), Length(max=64)],
                        description=_l("“-” for changes made on the command line."))
    action = SelectField(_l("Action"), validators=[Optional()])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Until"), validators=[Optional()])

    def __init__(self, *args: object, actions: Sequence[str] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.action.choices = [SelectChoice("", str(_l("all"))), *(SelectChoice(a, a) for a in actions)]
