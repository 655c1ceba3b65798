"""Country names people type, mapped to the ISO codes Harbor's resource directory uses."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional, Pattern, Tuple

# Longer names first matters only for readability: the regex prefers the longest match.
COUNTRY_NAMES: dict[str, str] = {
    "united states": "US", "united states of america": "US", "usa": "US", "u.s.a": "US",
    "u.s.": "US", "america": "US", "the states": "US",
    "canada": "CA",
    "united kingdom": "GB", "uk": "GB", "u.k.": "GB", "britain": "GB", "great britain": "GB",
    "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB",
    "ireland": "IE", "republic of ireland": "IE", "eire": "IE",
    "australia": "AU",
    "new zealand": "NZ", "nz": "NZ", "aotearoa": "NZ",
    "germany": "DE", "deutschland": "DE",
    "france": "FR",
    "india": "IN",
    # Big cities people name instead of the country ("im based in london"). Cities that are
    # also common first names (Sydney, Paris, Charlotte...) are left out: an ex called Sydney
    # must not move the person's hotlines to Australia.
    "london": "GB", "manchester": "GB", "birmingham": "GB", "glasgow": "GB", "edinburgh": "GB",
    "cardiff": "GB", "belfast": "GB", "leeds": "GB", "liverpool": "GB",
    "dublin": "IE", "cork": "IE", "galway": "IE",
    "melbourne": "AU", "brisbane": "AU", "adelaide": "AU",
    "auckland": "NZ", "wellington": "NZ", "christchurch": "NZ",
    "toronto": "CA", "vancouver": "CA", "montreal": "CA", "ottawa": "CA", "calgary": "CA",
    "berlin": "DE", "munich": "DE", "münchen": "DE", "hamburg": "DE", "cologne": "DE",
    "lyon": "FR", "marseille": "FR",
    "mumbai": "IN", "delhi": "IN", "bangalore": "IN", "bengaluru": "IN", "chennai": "IN",
    "kolkata": "IN", "hyderabad": "IN", "pune": "IN",
    "new york": "US", "los angeles": "US", "chicago": "US", "california": "US", "texas": "US",
}

# Countries without a local entry in the directory: the answer falls back to findahelpline.com.
OTHER_COUNTRIES = (
    "spain", "italy", "portugal", "netherlands", "belgium", "switzerland", "austria", "sweden",
    "norway", "denmark", "finland", "poland", "greece", "turkey", "mexico", "brazil",
    "argentina", "colombia", "chile", "peru", "south africa", "nigeria", "kenya", "egypt",
    "japan", "china", "korea", "south korea", "philippines", "indonesia", "malaysia",
    "singapore", "thailand", "vietnam", "pakistan", "bangladesh", "israel", "russia",
    "ukraine", "romania", "hungary", "czech republic", "czechia", "another country",
    "somewhere else", "elsewhere",
)

# "US" is also the pronoun "us": only the capitalised form counts, or "in/from the us".
_CAPITAL_US = re.compile(r"(?<![A-Za-z])(US|U\.S)(?![A-Za-z])")
_THE_US = re.compile(r"\b(?:in|from|to) the (us)\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _name_pattern() -> Pattern[str]:
    names = {**COUNTRY_NAMES, **{name: "OTHER" for name in OTHER_COUNTRIES}}
    alternatives = sorted(names, key=len, reverse=True)
    body = "|".join(re.escape(name) for name in alternatives)
    return re.compile(rf"(?<![a-z])({body})(?![a-z])", re.IGNORECASE)


def find_country(text: str) -> Optional[Tuple[str, int, int]]:
    """Returns ``(code, start, end)`` for the first country named in ``text``, or None.

    Args:
        text: A user message.

    Returns:
        The ISO code (``OTHER`` for countries without local resources) and the span.
    """
    match = _name_pattern().search(text)
    us = _CAPITAL_US.search(text)
    the_us = _THE_US.search(text)
    if the_us and (us is None or the_us.start(1) < us.start()):
        us_span = (the_us.start(1), the_us.end(1))
    else:
        us_span = (us.start(), us.end()) if us else None
    if us_span and (match is None or us_span[0] < match.start()):
        return "US", us_span[0], us_span[1]
    if match is None:
        return None
    name = match.group(1).lower()
    code = COUNTRY_NAMES.get(name, "OTHER")
    return code, match.start(), match.end()
