"""Forms of the account pages (Flask-WTF: CSRF on every form; field errors in the user's language)."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length

from hub.following.forms import DigestForm
from hub.forms import TextForm

LANGUAGES = {"de": "Deutsch", "en": "English"}


def _new_password() -> PasswordField:
    return PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=10, max=200)],
        description=_l("At least 10 characters, hard to guess: several unrelated words work well."),
    )


def _repeat() -> PasswordField:
    return PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )


class AccountForm(TextForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(
        _l("E-mail"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)]
    )
    language = SelectField(_l("Language of the pages and mails"))
    digest = RadioField(
        DigestForm.digest.args[0],
        choices=DigestForm.digest.kwargs["choices"],
        validators=[DataRequired()],
    )

    def __init__(self, *args: object, locales: Sequence[str] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = [SelectChoice(code, LANGUAGES.get(code, code)) for code in locales]


class PasswordChangeForm(TextForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    password = _new_password()
    confirm = _repeat()


class ForgotForm(TextForm):
    email = EmailField(
        _l("E-mail"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)]
    )


class ResetForm(TextForm):
    password = _new_password()
    confirm = _repeat()


class InvitationForm(TextForm):
    email = EmailField(
        _l("E-mail"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)]
    )
    role = SelectField(_l("Role"), validators=[DataRequired()])
    centre = SelectField(_l("Centre"))
    language = SelectField(_l("Language of the invitation"))

    def __init__(
        self,
        *args: object,
        roles: Sequence[tuple[str, str]] = (),
        centres: Sequence[tuple[str, str]] = (),
        locales: Sequence[str] = (),
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = [SelectChoice(v, t) for v, t in roles]
        none = SelectChoice("", str(_l("— none —")))
        self.centre.choices = [none, *(SelectChoice(v, t) for v, t in centres)]
        self.language.choices = [SelectChoice(code, LANGUAGES.get(code, code)) for code in locales]


class JoinForm(TextForm):
    """Joining with single sign-on only (``PASSWORD_LOGIN=0``): no password to choose."""

    username = StringField(
        _l("User name"),
        validators=[DataRequired(), Length(max=64)],
        description=_l("Lower-case letters, digits, “.”, “_” or “-”; you log in with it."),
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])


class JoinWithPasswordForm(JoinForm):
    password = _new_password()
    confirm = _repeat()


class CodeForm(TextForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=20)],
        description=_l("The 6 digits your app shows, or one of your recovery codes."),
    )


class EnableSecondFactorForm(TextForm):
    code = StringField(
        _l("Code from the app"),
        validators=[DataRequired(), Length(max=20)],
        description=_l("After scanning, your app shows 6 digits: enter them to confirm."),
    )


class DisableSecondFactorForm(TextForm):
    password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])


class DisableSecondFactorByCodeForm(TextForm):
    """For accounts without a password logins accept (single sign-on only)."""

    code = StringField(
        _l("Code from the app"),
        validators=[DataRequired(), Length(max=20)],
        description=_l("The 6 digits your app shows now."),
    )


class DeleteAccountForm(TextForm):
    password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    confirm_text = StringField(
        _l("Type LÖSCHEN to confirm"),
        validators=[DataRequired(), Length(max=20)],
    )
