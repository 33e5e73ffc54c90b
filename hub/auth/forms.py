"""Login and language forms (Flask-WTF: CSRF on every form)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Stay logged in on this device"))
    next = HiddenField()


class PostForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons that change state (logout …)."""

    next = HiddenField()


class LanguageForm(FlaskForm):
    lang = HiddenField(validators=[DataRequired()])
    next = HiddenField()
