"""How guessable a password is (zxcvbn), with a short reason in the reader's language."""

from __future__ import annotations

from flask_babel import gettext as _
from zxcvbn import zxcvbn

from hub.auth.operations import MIN_PASSWORD_LENGTH, AccountError

MIN_SCORE = 3  # zxcvbn's 0–4: 3 is "safely unguessable" (about 10^8 guesses and more)
_EVALUATED_LENGTH = 72  # zxcvbn refuses longer input (and its time grows with the length)


def check_password(password: str, *, username: str, name: str, email: str) -> None:
    """Refuse a password shorter than ``MIN_PASSWORD_LENGTH`` or one zxcvbn scores below
    ``MIN_SCORE`` given the person's user name, name and e-mail address (``AccountError``)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("password", _("At least %(num)d characters, please.", num=MIN_PASSWORD_LENGTH))
    inputs = [username, name, email, *name.split(), email.split("@")[0]]
    result = zxcvbn(password[:_EVALUATED_LENGTH], user_inputs=[i for i in inputs if i])
    if result["score"] >= MIN_SCORE:
        return
    personal = any(match.get("dictionary_name") == "user_inputs" for match in result.get("sequence", []))
    if personal:
        reason = _("Too easy to guess: it contains your name, user name or e-mail address.")
    else:
        reason = _("Too easy to guess. Use a longer phrase of several unrelated words.")
    raise AccountError("password", reason)
