"""A last-resort keyword screen for when the spaCy screen itself fails.

It is deliberately blunt (recall over precision) and depends on nothing but ``re``: if the
spaCy pipeline is missing or a bug raises, a person writing "i want to kill myself" must
still get the crisis answer.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Tuple

from bot.safety.assessment import DANGER, NO_CRISIS, SELF_HARM, SUICIDE, Assessment

_KEYWORDS: Tuple[Tuple[str, "re.Pattern[str]"], ...] = (
    (DANGER, re.compile(
        r"\b(rap(e|ed|ist)|sexual(ly)? assault\w*|(hit|hits|beat|beats|choked?|strangled?|"
        r"punched|slapped|kicked) (me|us)\b|threaten\w* to (kill|hurt)|(kill|hurt) me\b|"
        r"not safe|in danger|stalk\w* me|follow\w* me|locked me|domestic (violence|abuse))"
    )),
    (SUICIDE, re.compile(
        r"(suicid|sucid|kill(ing)? ?my ?self|\bkms\b|unaliv|want(ed)? to die|wanna die|"
        r"end (it all|my life)|better off dead|better off without me|"
        r"(don'?t|do not|dont) (want|wanna) (to )?(live|be alive|exist|wake up)|"
        r"no reason to live|goodbye (everyone|forever|world))"
    )),
    (SELF_HARM, re.compile(
        r"(self[- ]?harm|cut(ting)? ?my ?self|cut(ting)? my (wrist|arm|leg|thigh)|"
        r"hurt(ing)? ?my ?self|burn(ing)? ?my ?self|overdos|starv(e|ing) ?my ?self)"
    )),
)


def fallback_assess(text: str) -> Assessment:
    """Screens ``text`` with plain keywords; never raises for a string."""
    folded = unicodedata.normalize("NFKC", text or "").casefold().replace("’", "'")
    for category, pattern in _KEYWORDS:
        match = pattern.search(folded)
        if match:
            return Assessment(category=category, evidence=(f"fallback.{category}: {match[0]}",))
    return NO_CRISIS


# The crisis answer when Rasa cannot give the full, localized one (a message too long to
# process, a failing turn). Channels send it as it is: no action server, no database.
FALLBACK_CRISIS_REPLY = (
    "I'm really glad you told me, and I'm worried about what you wrote. If you are in "
    "danger, call your local emergency number. In the US or Canada you can call or text "
    "988; anywhere else, findahelpline.com lists free, confidential lines in your country. "
    "I'm a bot, not an emergency service, but I'm here — tell me in a few short sentences "
    "what is happening, or type SOS."
)
