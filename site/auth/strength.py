"""How easy a new password is to guess, estimated by zxcvbn.

zxcvbn (a port of Dropbox's estimator) knows the most common passwords,
names and words, keyboard walks, repeats and dates, and says why a password
is weak and what would do better. A length rule alone lets ``password``,
``12345678`` and eight spaces through; this does not.

Signup, the password change and ``flask create-admin`` all check new
passwords here.
"""

from zxcvbn import zxcvbn

#: zxcvbn's scores run from 0 (among the most common) to 4. 3 is "safely
#: unguessable": it would survive an offline attack on a slow hash, let
#: alone the throttled guessing the login form allows.
MIN_SCORE = 3

#: zxcvbn reads at most this many characters (its own limit); what follows
#: can only make a password stronger.
CHECKED_LENGTH = 72


def weakness(password: str, *related: str | None) -> str | None:
    """Why ``password`` is too easy to guess, and what would do; ``None``
    when it is strong enough. ``related`` are words an attacker would try
    first, such as the username."""
    result = zxcvbn(
        password[:CHECKED_LENGTH], user_inputs=[word for word in related if word]
    )
    if result["score"] >= MIN_SCORE:
        return None
    feedback = result["feedback"]
    why = feedback["warning"] or "It would be among the first guesses."
    what = " ".join(feedback["suggestions"]) or "Try a few unrelated words."
    return f"This password is too easy to guess. {why} {what}"
