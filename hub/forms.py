"""What the hub's forms share: text as the hub stores it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import Field, FieldList, FormField, PasswordField, StringField
from wtforms.validators import ValidationError

from hub.fields import SlugRule, stray_control


class TextForm(FlaskForm):
    """A form whose text fields end lines with LF (browsers send CRLF from a textarea) and refuse
    every other control character: the hub's text never holds one, so what is typed here is also
    what an export writes and an import reads back (``hub.fields.stray_control``)."""

    def validate(self, extra_validators: Any = None) -> bool:
        fields = [f for f in _fields(self) if _is_text(f)]
        for field in fields:
            field.data = field.data.replace("\r\n", "\n").replace("\r", "\n")
        valid = super().validate(extra_validators)
        for field in fields:
            position = stray_control(field.data)
            if position is not None:
                code = f"U+{ord(field.data[position]):04X}"
                message = _("Contains an invisible control character (%(code)s).", code=code)
                field.errors = [*field.errors, message]
                valid = False
        return valid


class NotReserved:
    """Refuses a slug that names one of the hub's own pages beside the object's (``new`` …)."""

    def __init__(self, rule: SlugRule) -> None:
        self.rule = rule

    def __call__(self, form: Any, field: Field) -> None:
        if field.data and field.data in self.rule.reserved():
            raise ValidationError(_("This address is the name of a page of the hub; please choose another."))


def _is_text(field: Field) -> bool:
    """Text the hub keeps and shows (a password is the user's own business)."""
    if isinstance(field, PasswordField):
        return False
    return isinstance(field, StringField) and isinstance(field.data, str)


def _fields(form: Any) -> Iterator[Field]:
    for field in form:
        if isinstance(field, FormField):
            yield from _fields(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                yield from _fields(entry.form) if isinstance(entry, FormField) else [entry]
        else:
            yield field
