"""How easy a new password is to guess, estimated by zxcvbn.

zxcvbn (a port of Dropbox's estimator) knows the most common passwords,
names and words, keyboard walks, repeats and dates, and says why a password
is weak and what would do better. A length rule alone lets ``password``,
``12345678`` and eight spaces through; this does not.

Signup, the password change and ``flask create-admin`` all check new
passwords here.

zxcvbn says what is wrong in English, whatever the page's language. Its
sentences are listed here (:data:`FEEDBACK`), so the site's catalogue holds
them and a page shows them translated; one a later zxcvbn adds, which the
catalogue cannot know, gives way to a general sentence of the site's own.
"""

from flask_babel import gettext as _
from zxcvbn import zxcvbn

from cookiesite.prefs.language import N_

#: zxcvbn's scores run from 0 (among the most common) to 4. 3 is "safely
#: unguessable": it would survive an offline attack on a slow hash, let
#: alone the throttled guessing the login form allows.
MIN_SCORE = 3

#: zxcvbn reads at most this many characters (its own limit); what follows
#: can only make a password stronger.
CHECKED_LENGTH = 72


#: Every warning and suggestion zxcvbn 4.5 gives (its ``feedback.py``).
FEEDBACK = frozenset(
    {
        N_("A word by itself is easy to guess."),
        N_("Add another word or two. Uncommon words are better."),
        N_("All-uppercase is almost as easy to guess as all-lowercase."),
        N_("Avoid dates and years that are associated with you."),
        N_("Avoid recent years."),
        N_("Avoid repeated words and characters."),
        N_("Avoid sequences."),
        N_("Avoid years that are associated with you."),
        N_("Capitalization doesn't help very much."),
        N_("Common names and surnames are easy to guess."),
        N_("Dates are often easy to guess."),
        N_("Names and surnames by themselves are easy to guess."),
        N_("No need for symbols, digits, or uppercase letters."),
        N_("Predictable substitutions like '@' instead of 'a' don't help very much."),
        N_("Recent years are easy to guess."),
        N_('Repeats like "aaa" are easy to guess.'),
        N_('Repeats like "abcabcabc" are only slightly harder to guess than "abc".'),
        N_("Reversed words aren't much harder to guess."),
        N_('Sequences like "abc" or "6543" are easy to guess.'),
        N_("Short keyboard patterns are easy to guess."),
        N_("Straight rows of keys are easy to guess."),
        N_("This is a top-10 common password."),
        N_("This is a top-100 common password."),
        N_("This is a very common password."),
        N_("This is similar to a commonly used password."),
        N_("Use a few words, avoid common phrases."),
        N_("Use a longer keyboard pattern with more turns."),
    }
)


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
    warning = feedback["warning"]
    if warning in FEEDBACK:
        why = _(warning)
    else:
        why = _("It would be among the first guesses.")
    known = [_(text) for text in feedback["suggestions"] if text in FEEDBACK]
    what = " ".join(known) or _("Try a few unrelated words.")
    return _("This password is too easy to guess. %(why)s %(what)s", why=why, what=what)
