"""Field checks for the content folder: each returns the clean value or records a problem.

The rules themselves (slug and tag syntax, control characters, lengths) live in ``hub.fields``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from hub.fields import control_character

SECTOR_CODES = tuple("ABCDEFGHIJKLMNOPQRSTU")
ISO_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Problem:
    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"


@dataclass
class Problems:
    items: list[Problem] = field(default_factory=list)

    def add(self, file: str, field_name: str, message: str) -> None:
        self.items.append(Problem(file, field_name, message))

    def __bool__(self) -> bool:
        return bool(self.items)


class Checker:
    """Checks the fields of one mapping (a file's front matter or one list entry)."""

    def __init__(self, problems: Problems, file: str, data: Any, prefix: str = "") -> None:
        self.problems, self.file, self.prefix = problems, file, prefix
        if not isinstance(data, dict):
            self.fail("", "expected a mapping of keys to values")
            data = {}
        self.data: dict[str, Any] = data

    def fail(self, name: str, message: str) -> None:
        self.problems.items.append(self.problem(name, message))

    def problem(self, name: str, message: str) -> Problem:
        """The problem ``fail`` would record, named by this checker's file and prefix."""
        return Problem(self.file, f"{self.prefix}{name}" if name else self.prefix.rstrip(".") or "-", message)

    def only(self, allowed: tuple[str, ...]) -> None:
        for key in self.data:
            if key not in allowed:
                self.fail(str(key), f"unknown key (allowed: {', '.join(allowed)})")

    def present(self, name: str, required: bool) -> bool:
        if name not in self.data or self.data[name] is None:
            if required:
                self.fail(name, "is required")
            return False
        return True

    def timestamp(self, name: str, *, required: bool) -> datetime | None:
        """An ISO 8601 date and time with a time zone, as UTC."""
        if not self.present(name, required):
            return None
        try:
            value = datetime.fromisoformat(str(self.data[name]))
        except ValueError:
            value = None
        if value is None or value.tzinfo is None:
            self.fail(name, f"{self.data[name]!r} is not a date and time with time zone (ISO 8601)")
            return None
        return value.astimezone(UTC)

    def text(
        self, name: str, *, required: bool = True, max_length: int = 100_000, empty: bool = False
    ) -> str | None:
        """Text without surrounding white space; ``empty``: may be empty (then "" when absent)."""
        if not self.present(name, required):
            return "" if empty else None
        value = self.data[name]
        if not isinstance(value, str) or not (empty or value.strip()):
            self.fail(name, "must be text" if empty else "must be non-empty text")
            return None
        clean = self.clean(name, value, max_length)
        return clean.strip() if clean is not None else None

    def clean(self, name: str, value: str, max_length: int) -> str | None:
        """``value`` if it fits ``max_length`` and holds no control character."""
        if len(value) > max_length:
            self.fail(name, f"is longer than {max_length} characters")
            return None
        problem = control_character(value)
        if problem is not None:
            self.fail(name, problem)
            return None
        return value

    def pattern(
        self, name: str, regex: re.Pattern[str], what: str, *, required: bool = True, max_length: int = 120
    ) -> str | None:
        value = self.text(name, required=required, max_length=max_length)
        if value is not None and not regex.match(value):
            self.fail(name, f"{value!r} is not a valid {what}")
            return None
        return value

    def choice(
        self, name: str, choices: tuple[str, ...], *, required: bool = True, what: str = ""
    ) -> str | None:
        if not self.present(name, required):
            return None
        value = self.data[name]
        if value not in choices:
            self.fail(name, f"{value!r} is not {what or 'one of: ' + ', '.join(choices)}")
            return None
        return value

    def date(self, name: str, *, required: bool = False) -> date | None:
        if not self.present(name, required):
            return None
        value = self.data[name]
        try:
            if isinstance(value, date):
                return value
            return date.fromisoformat(str(value)) if ISO_DATE_RE.fullmatch(str(value)) else _bad()
        except ValueError:
            self.fail(name, f"{value!r} is not a date (YYYY-MM-DD)")
            return None

    def number(self, name: str, *, below: int, places: int = 0) -> Decimal | int | None:
        """A number from 0 up to (not including) ``below`` with at most ``places`` decimal places
        (an integer when ``places`` is 0): never rounded, so what the file says is what the hub keeps."""
        if not self.present(name, False):
            return None
        value = self.data[name]
        integer_only = not places and isinstance(value, float)
        if isinstance(value, bool) or not isinstance(value, int | float) or integer_only:
            self.fail(name, f"{value!r} is not a{' number' if places else 'n integer'}")
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:  # pragma: no cover - str() of a float or int is always a number
            number = Decimal("NaN")
        if not number.is_finite():
            self.fail(name, f"{value!r} is not a number")
        elif not 0 <= number < below:
            self.fail(name, f"must be at least 0 and below {below}")
        elif -number.as_tuple().exponent > places:  # type: ignore[operator]  # finite (checked above): the exponent is an int
            self.fail(name, f"{value!r} has more than {places} decimal place{'s' if places != 1 else ''}")
        else:
            return int(number) if not places else number.quantize(Decimal(1).scaleb(-places))
        return None

    def items(self, name: str, *, required: bool = True, non_empty: bool = True) -> list[Any]:
        if not self.present(name, required):
            return []
        value = self.data[name]
        if not isinstance(value, list):
            self.fail(name, "must be a list")
            return []
        if required and non_empty and not value:
            self.fail(name, "must name at least one entry")
        return value

    def codes(
        self, name: str, known: set[str] | tuple[str, ...], what: str, *, required: bool = True
    ) -> list[str]:
        result = []
        for value in self.items(name, required=required):
            if not isinstance(value, str) or value not in known:
                self.fail(name, f"{value!r} is not {what}")
            elif value in result:
                self.fail(name, f"{value!r} is listed twice")
            else:
                result.append(value)
        return result


def _bad() -> date:
    raise ValueError("not an ISO date")
