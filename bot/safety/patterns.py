"""The crisis screen's rules: spaCy Matcher patterns plus the context each rule needs.

Patterns are written in a small notation so a reviewer can read them:

- ``word``          the token's lowercase form is ``word``
- ``a|b|c``         its lowercase form is one of these
- ``~kill|hurt``    its lemma is one of these (so "kills", "killed", "killing" all match)
- ``_``             any one token
- ``?`` suffix      the item is optional
- ``@name``         one of the alternatives in ``MACROS[name]`` (each may be several tokens)

Every text is normalised first (``bot.safety.normalise``): lowercase, no accents, slang
spelt out ("kms" → "kill myself", "wanna" → "want to"), stretched and misspelt words
repaired ("diiie", "sucide"), emoji that carry meaning turned into words (🔪 → "knife").
Contractions stay split the way spaCy splits them: "don't" is ``do n't``, "he'll" is
``he 'll``, "can't" is ``ca n't``.

A match is then checked against the rule's context (see :class:`Rule`): negation
("i'm not suicidal"), idioms ("my feet are killing me" never matches; "kill myself
laughing" is rejected by ``tail_unless``), accidents ("i cut my finger cooking"), the
past ("i used to cut, 2 years clean") and emotional hurt in a breakup ("he'll hurt me
again if i take him back"). Recall comes first: when in doubt, a rule fires.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Optional, Pattern, Sequence, Tuple, Union

from bot.safety.assessment import DANGER, SELF_HARM, SUICIDE

Token = Dict[str, object]
TokenPattern = List[Token]

# --- reusable alternatives ---------------------------------------------------------------

PARTNERS = (
    "ex|boyfriend|girlfriend|husband|wife|partner|fiance|fiancee|spouse|hubby|bf|gf|bd"
)
FAMILY = (
    "dad|father|stepdad|stepfather|mom|mum|mother|stepmom|stepmother|brother|sister|"
    "uncle|cousin|roommate|flatmate|landlord|boss|coworker|neighbor|neighbour|son|daughter"
)
BODY_PARTS = (
    "wrist|wrists|arm|arms|leg|legs|thigh|thighs|skin|stomach|hip|hips|body|ankle|ankles|"
    "forearm|forearms|chest|belly|vein|veins|hand|hands|face"
)
MEDS = (
    "pills|pill|meds|medication|medications|tablets|tablet|painkillers|paracetamol|tylenol|"
    "ibuprofen|advil|xanax|valium|ambien|insulin|antidepressants|prescription|sleeping"
)

MACROS: Dict[str, Tuple[str, ...]] = {
    # Someone who can threaten or hurt the person: partners first, strangers too.
    "who": (f"he|she|they|{PARTNERS}|someone|somebody|guy|man|stranger|dude",),
    "whoany": (f"he|she|they|{PARTNERS}|someone|somebody|guy|man|stranger|dude|{FAMILY}",),
    "modal": (
        "will|'ll|would|'d|might|could|may",
        "is|'s|was|are|'re|were going to",
        "going to",
        "~want|threaten|try|promise|swear|plan|vow|intend to",
        "keeps threatening to",
    ),
    "victim": ("me|us", "my|the kids|son|daughter|baby|children|child|family|dog|cat|pets|mom"),
    "iam": ("i 'm|am|m", "i feel|felt"),
    "cant": ("ca|can|could n't|not", "cannot"),
    "neg": ("n't|not|never", "no longer"),
    "me_self": ("myself",),
    "them_self": ("himself|herself|themselves|themself",),
}

# --- context filters (regular expressions over the normalised sentence) -------------------

END = (
    r"($|[.,!?;:)\-]|and\b|but\b|because|cause\b|cuz\b|so\b|lol|lmao|rn\b|tbh|honestly|"
    r"please|i\b)"
)
ACCIDENT = (
    r"\b(accident|accidentally|by mistake|mistakenly|shaving|shave|cooking|chopping|slicing|"
    r"kitchen|oven|stove|pan|iron|kettle|curling|straightener|gym|workout|working out|"
    r"lifting|running|skiing|skating|hiking|climbing|football|soccer|basketball|rugby|"
    r"tennis|playing|fell|fall|falling|tripped|slipped|paper cut|sunburn|sprain\w*|"
    r"on (a |the |some )?(glass|broken|paper|can|tin|nail|fence|edge)|"
    r"onions?|vegetables|veggies|bagel|avocado|opening (a|the))\b"
)
# Hurt in a breakup is mostly emotional: "he'll hurt me again if i take him back".
EMOTIONAL = (
    r"\b(heart|feelings|emotionally|mentally|again if|if i (take|let|go|give|trust|open)|"
    r"take (him|her|them) back|go back to|get back together|trust|cheat\w*|leave me|leaves me|"
    r"leaving me|ghost\w*|ignor\w*|lie to me|lies to me|open up|let (him|her|them) in|attached|"
    r"get close|fall for|break up|breaks up|dump\w*|replace me|forget me|move on)\b"
)
PAST = (
    r"\b(used to|years ago|a year ago|decades? ago|when i was (young|younger|little|small|"
    r"a kid|a child|a teen|a teenager|in (high|middle|primary|elementary|secondary) school|"
    r"in college|at uni|\d+)|as a (kid|teen|teenager|child)|in (high|middle) school|"
    r"back (in|then|when)|in the past|((\d+|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"a few|many|several|a couple of?) (years?|months?) (clean|free|sober))|"
    r"clean (for|since|from)|free (for|since)|in recovery|recovered|last year|"
    r"(\d+|one|two|three|four|five|ten) years)\b"
)
PRESENT = (
    r"\b(again|right now|tonight|today|relaps\w*|urges?|craving|lately|these days|"
    r"this week|(?<!not )(?<!no )anymore|rn)\b"
)
RELATIONSHIP = (
    r"\b(with (him|her|them|my|this|the|us)|relationship|things|situationship|marriage|"
    r"engagement|between us|talking|texting|dating|he|she|they|him|her|them|ex|"
    r"boyfriend|girlfriend|husband|wife|partner|bf|gf)\b"
)
PARTNER_ONLY = (
    r"\b(he|she|him|her|ex|boyfriend|girlfriend|bf|gf|partner|husband|wife|fiance|fiancee)\b"
)
EVERYONE = r"\b(everyone|everybody|world|family|all|people|kids|friends|parents|anyone)\b"
QUESTION = (
    r"\b(should|shall|do|how (do|can|should|would) i|how to|whether|when to|time to|"
    r"courage to|strength to|brave enough to|if i should|finally)\b"
)
SOCIAL = (
    r"^(on|back|online|everywhere online|around online|my (stories|posts|account|page))\b"
)


@dataclass(frozen=True)
class Rule:
    """One crisis rule: spaCy patterns and the context a match needs to count.

    Attributes:
        id: Stable name used in evidence, tests and docs, e.g. ``suicide.want_die``.
        category: ``suicide``, ``self_harm`` or ``danger``.
        patterns: Patterns in the notation described in the module docstring.
        tail_unless: Reject when the rest of the sentence (after the match) starts so.
        tail_only: Accept only when the rest of the sentence starts so.
        head_unless: Reject when the sentence before the match contains this.
        sentence_unless: Reject when the sentence contains this.
        sentence_requires: Accept only when the sentence contains this.
        partner_only: Reject when only a partner is named ("he's better off without
            me") and nobody wider ("everyone", "my family").
        self_reference: Accept only when the sentence speaks of the writer
            (i, me, my) — for words like "overdose" that also describe others.
        negatable: A negation right before the match ("not", "never", "n't") cancels it.
            False for rules whose wording already contains the negation
            ("i don't want to live").
        past_sensitive: A match in a sentence about the past ("used to", "2 years
            clean") is cancelled unless the message also speaks of now ("again",
            "tonight", "urges").
    """

    id: str
    category: str
    patterns: Tuple[str, ...]
    tail_unless: Optional[str] = None
    tail_only: Optional[str] = None
    head_unless: Optional[str] = None
    sentence_unless: Optional[str] = None
    sentence_requires: Optional[str] = None
    partner_only: bool = False
    self_reference: bool = False
    negatable: bool = True
    past_sensitive: bool = True


def _rule(rule_id: str, category: str, *patterns: str, **context: object) -> Rule:
    return Rule(rule_id, category, tuple(patterns), **context)  # type: ignore[arg-type]


SUICIDE_RULES: Tuple[Rule, ...] = (
    _rule(
        "suicide.kill_self", SUICIDE,
        "~kill|murder|unalive|hang|shoot|drown|suffocate|poison|electrocute|gas|end @me_self",
        "off|offing|offed @me_self",
        tail_unless=(
            r"(laughing|with laughter|to (get|make|finish|impress|please|keep|meet|"
            r"be (perfect|good enough))|trying to|at (work|the gym)|over (work|this project|"
            r"(this|my) (essay|exam|job))|working|studying)"
        ),
    ),
    _rule("suicide.word", SUICIDE, "suicide|suicidal|suicidality|suicidally|ctb",
          tail_unless=r"squad"),
    _rule("suicide.unalive", SUICIDE, "unalive|unalived|unaliving|unalives"),
    _rule(
        "suicide.end_life", SUICIDE,
        "~end|take my own? life",
        "~end it all",
        "~end my existence|suffering",
        "~end everything",
        tail_unless=r"(with|between)\b",
    ),
    _rule(
        "suicide.end_it", SUICIDE,
        "~end it|this",
        tail_only=(
            END + r"|all\b|tonight|today|now|soon|forever|for good|once and for all|"
            r"permanently|already"
        ),
        head_unless=QUESTION,
        sentence_unless=RELATIONSHIP,
    ),
    _rule(
        "suicide.want_die", SUICIDE,
        "~want|wish|long|pray|hope|ready|deserve|need|like to die",
        "~want|wish|long|pray to be dead|gone",
        "~wish i _? _? dead|die|died|dying|gone",
        "better off gone",
        "@cant see|imagine|picture myself _? alive|living|here|around",
        "i 'd|would rather be dead",
        "i 'd|would rather die",
        "better off dead",
        "should _? just? die",
        "let me die",
        "want death",
        "~feel like dying",
        "~think|dream|fantasize|fantasise about|of dying|death|suicide",
        "thought|thoughts about|of dying|death|suicide",
        "~hope i die",
        "going to die tonight",
        "~want|wish|rather|ready to be in? a|my|the? grave|coffin|ground",
        "~want to grave|coffin",
        "~fantasize|fantasise|dream|imagine|plan _? my own? funeral|death",
        "~think about|of my own? funeral",
        "~hope|wish|pray i _? hit|killed by",
        "~hope|wish|pray i _? run over",
        "~hope|wish|pray a|the car|bus|truck|train|lorry would|will|'d _? hit|kill me",
        "~hope|wish|pray a|the car|bus|truck|train|lorry would|will|'d _? run me over",
        "~want|need|wish it all to end|stop",
        "~want|need|wish everything to end|stop",
        "~want|need|wish it all to be over",
        "~want|need|wish my life to be over|end",
        "~want|need|wish my life over",
        "~welcome|embrace|accept|crave death|dying",
        "~long for death|dying",
        "~want|need|wish everything to be over",
        "~fight|struggle|try|hard to stay alive",
        "~fight|struggle|try|hard to keep living",
        "n't|not make it through the night|tonight|today",
        "n't|not make it through another day|night",
        "@neg think i ~want to live|exist",
        "@neg think i ~want to wake up",
        "@neg think i ~want to be alive|here",
        "~want|need|wish it|this|everything to end|stop forever|permanently",
        "~want|need|wish the pain to end|stop forever|permanently",
        "~want|need|wish it|this|everything to end|stop for good",
        "~want|need|wish the pain to end|stop for good",
        "~want|wish to go|be away forever|permanently",
        "~want|wish to go|be away for good",
        "ways|way|methods|method|how to die|suicide",
        "painless|easiest|quickest|fastest|best way|ways|method|methods to die",
        "painless way|ways|method|methods to go|end",
        "why am|are i _? alive|living|breathing|existing",
        "why am i still here|alive",
        "~do something stupid|drastic|permanent|irreversible",
        "~wish i was|were in? a|my? grave|coffin",
        tail_unless=(
            r"(of\b|laughing|from (laughing|embarrassment|cringe)|with laughter|"
            r"for (him|her|them|you|love)\b|in (his|her|their) arms|a little|a bit|inside|"
            r"than (text|call|message|dm|go back|see|be with|talk|date|admit|ask|apologi\w*|beg)|"
            r"and (text|call|message|dm) |and (go back|reach out)|like (text|call))"
        ),
    ),
    _rule(
        "suicide.want_dye", SUICIDE,
        "~want|wish|ready|deserve to dye",
        tail_only=END,
    ),
    _rule(
        "suicide.plan", SUICIDE,
        "how i 'd|would|'ll|will _? do it",
        "how i 'm|am going to do it",
        "how i am|'m going to end it",
        "my plan is to do|end it",
        "~pick|choose|decide on? a|the|my method",
        sentence_requires=r"\b(plan\w*|know|figured|decided|thinking|think|research\w*|"
        r"method|ready|tonight|end|die|suicide|asleep|everyone|nobody|no one|alone)\b",
        sentence_unless=r"\b(wedding|party|trip|vacation|holiday|move|moving|dinner|date night|"
        r"break ?up|tell (him|her|them)|text|call|block)\b",
    ),
    _rule(
        "suicide.end_with_me", SUICIDE,
        "~end things|it|everything",
        sentence_requires=r"\b(with|for) (me|myself)\b(?! (and|or))",
        head_unless=r"\b(he|she|they|we)\b",
    ),
    _rule(
        "suicide.the_night", SUICIDE,
        "tonight 's|is the night",
        "tonight 's|is when",
        sentence_requires=r"\b(do it|end it|go through with it|it ends|the pills|goodbye)\b",
    ),
    _rule(
        "suicide.jump", SUICIDE,
        "~think about|of jumping",
        "~want|go|ready|about|plan to jump",
        "~jump off|from",
        sentence_requires=r"\b(roof|rooftop|bridge|building|balcony|ledge|window|cliff|train|"
        r"tracks|floor|tower|parking|overpass|edge)\b",
        sentence_unless=r"\b(pool|lake|river|trampoline|swim\w*|dive|diving|bungee|parachute|"
        r"skydiv\w*|ship|bandwagon|conclusions)\b",
    ),
    _rule(
        "suicide.standing_high", SUICIDE,
        "~stand|sit on|at _? _? bridge|ledge|roof|rooftop|cliff|railing",
        sentence_unless=r"\b(waiting|bus|tram|train to|view|photo|pictures?|sunset|selfie|friends|"
        r"party|terrace|bar|drinks?|drinking|tour|walk\w*|fishing)\b",
    ),
    _rule(
        "suicide.want_out", SUICIDE,
        "~want|need out",
        "life|existence|living|everything is|feels|'s _? pointless|meaningless|hopeless",
        sentence_requires=r"\b(life|living|alive|world|existence|pointless|meaningless|"
        r"everything)\b",
        sentence_unless=r"\b(out of (this|the|that|our|my) (relationship|situationship|job|"
        r"house|city|marriage|friendship|group)|with (him|her|them))\b",
    ),
    _rule(
        "suicide.death_appeal", SUICIDE,
        "death|dying _? _? _? relief|peaceful|peace|easier|better|escape|welcome|comforting|"
        "appealing|nice|release",
    ),
    _rule(
        "suicide.no_will_to_live", SUICIDE,
        "@neg ~want|wish to live|exist|survive",
        "@neg ~want|wish to continue living|existing",
        "@neg ~want to be alive",
        "@neg ~want to stay|keep alive|living|going|existing",
        "@neg ~feel like living|existing|continuing",
        "@neg ~feel like being alive",
        "@neg ~feel like going on",
        "@neg ~want to do life",
        "@neg ~want to go on",
        "longer want to live|exist",
        "longer want to be here|alive",
        negatable=False,
        tail_unless=r"(back|like (this|that)|with\b|in (this|that|the|my)\b|here\b|there\b)",
    ),
    _rule(
        "suicide.not_be_here", SUICIDE,
        "@neg ~want to be here|around",
        negatable=False,
        tail_only=(
            END + r"|anymore|any ?more|at all|in this world|on this earth|alive|tomorrow|"
            r"much longer|for much longer|now|right now|tonight|either"
        ),
    ),
    _rule(
        "suicide.not_wake_up", SUICIDE,
        "@neg ~want to wake up",
        "@neg wake up ever again",
        "~hope|wish|pray i _? n't|not|never wake up",
        "never wake",
        "and not wake",
        "sleep forever",
        "~sleep and never|not wake",
        negatable=False,
        tail_unless=(
            r"(up )?(early|easily|until|till|til|before|at\b|on time|in time|for (work|school|"
            r"class|my shift)|when|unless|if|without (an? )?alarm|so early|that early|"
            r"to (his|her|their))"
        ),
        head_unless=r"^(?!.*\b(wish|want|hope|pray|wanna)\b).*\bcould\s*$",
    ),
    _rule(
        "suicide.cant_go_on", SUICIDE,
        "@cant go|carry on",
        "@cant keep going|living",
        "@cant live like this",
        "@cant do life",
        "@cant be here|alive anymore",
        "@cant be here|alive any longer",
        "@neg think i can go|carry on",
        "@neg think i can keep going",
        negatable=False,
        tail_only=(
            END + r"|anymore|any ?more|like this|without|living|any longer|much longer|"
            r"with (life|this|my life|it)|after|since|if|this way|another|one more"
        ),
    ),
    _rule(
        "suicide.no_reason", SUICIDE,
        "no|any|a reason|point to live|exist|wake|breathe|continue|stay",
        "no|any|a reason|point to keep going|living|fighting",
        "no|any|a reason|point to go on",
        "no|any|a reason|point to be here|alive",
        "no reason for me to live|exist|stay",
        "nothing _? to live for",
        "nothing left to live for",
        "not|n't worth living",
        "life _? n't|not worth it|living",
        "point of|in living|life|existing|waking|breathing|anything|continuing",
        "point of|in being|staying alive",
        "point of|in going on",
        "why should|would i _? live|exist|wake",
        "why should|would i even? keep living|going",
        "why do i even? exist",
        "~lose the will to live",
        "will to live",
        tail_unless=(
            r"(with (him|her|them)|in (this|the|my) relationship|for (him|her|them)|"
            r"up (early|for|at)|on (him|her|them)|back|to (the|a|his|her|this|that)\b|out\b|"
            r"there\b)"
        ),
    ),
    _rule(
        "suicide.tired_of_life", SUICIDE,
        "tired|sick|exhausted|done|weary of|with living|life|existing|existence|breathing",
        "tired|sick|exhausted|done|weary of|with being alive",
        "tired|sick|exhausted|done|weary of|with waking up",
        "tired|sick|exhausted|done|weary of|with this|my life",
        "~give up on life|living|myself|everything",
        "~hate being alive",
        "~hate existing",
        tail_unless=(
            r"('s\b|of\b|with (him|her|them)|like this with|in (this|the) (relationship|city|job))"
        ),
    ),
    _rule(
        "suicide.not_exist", SUICIDE,
        "~stop|cease|quit existing",
        "stop|cease to exist",
        "~wish i _? _? n't|not|never exist|existed|alive|born|here|around",
        "~wish i _? _? never been born",
        "never been born",
        "~want to not|n't exist",
        "~want to not|n't be here|alive|around|anymore",
        "~want to stop being alive|here|around",
        "not exist|existing anymore",
        "~wish i could|would stop|cease existing",
        "~wish i could|would cease to exist",
        negatable=False,
        tail_unless=(
            r"(with (him|her|them)|in (his|her|their) (life|world|head|shadow|eyes)|(so|as) )"
        ),
    ),
    _rule(
        "suicide.better_without_me", SUICIDE,
        "better|happier|easier off? without me",
        "better|happier|nicer|easier place without me",
        "better|happier|easier off? if i _? _? dead|gone|died|disappeared|here|around|alive",
        "better|happier|easier off? if i _? _? n't|not|never here|around|alive|exist|born",
        "better|happier|easier when i _? _? gone|dead",
        partner_only=True,
    ),
    _rule(
        "suicide.if_i_died", SUICIDE,
        "if|when i _? _? died|die|dead|disappeared|disappear|gone|vanished|vanish",
        "if|when i _? _? killed|kill myself",
        "if|when i _? _? n't|not here|around|alive",
        "after i 'm|am gone|dead",
        "when i 'm|am gone|dead",
        "world without me",
        "no one would|'d|will _? even? miss|notice me",
        "nobody would|'d|will _? even? miss|notice me",
        "~would anyone|anybody _? even? miss|notice|care",
        tail_unless=(
            r"(for (a|the|\d|an?|like|some)|from (social|instagram|tiktok|his|her|their|the group)|"
            r"on (him|her|them|social|instagram|vacation|holiday|a trip)|off (social|instagram)|"
            r"to (the|a)\b|at (work|the)\b|tomorrow (at|for)|about (him|her)|with (him|her)|"
            r"if i (text|call|message|dm|reach|post|block|unfollow|said|told))"
        ),
    ),
    _rule(
        "suicide.disappear", SUICIDE,
        "~disappear|vanish forever|permanently",
        "~disappear|vanish for good",
        "~disappear|vanish from this|the world|earth|planet|existence",
        "~disappear|vanish off the face of the earth|planet",
        "~disappear|vanish and never come back",
        "~disappear|vanish and never be found",
        tail_unless=r"(from (his|her|their) (life|world|feed|phone))",
    ),
    _rule(
        "suicide.burden", SUICIDE,
        "burden to|on|for everyone|everybody|all|people|anyone|family|world|friends|parents",
        "burden to|on|for my|the family|world|friends|parents|kids|people",
        "everyone 's burden",
        "i 'm|am _? _? burden",
        "~feel like _? _? burden",
        "waste of space|oxygen|air|life",
        partner_only=True,
        tail_unless=r"(of (time|money|energy|effort|a (day|weekend|night|evening)))",
    ),
    _rule(
        "suicide.goodbye", SUICIDE,
        "~say goodbye to everyone|everybody|world|life|family|all|everything",
        "~say goodbye to my family|kids|parents|friends|loved|mom|dad|children",
        "~say my goodbyes",
        "~say goodbye to this world|life",
        "~say goodbye to you all",
        "~say goodbye to all of you",
        "goodbye|bye everyone|everybody|world|forever|all",
        "goodbye cruel world",
        "goodbye for good",
        "this is my goodbye",
        "my final|last goodbye|words",
        "by the time you|anyone|someone|somebody|they|people _? _? ~read|see|find|get this",
        "~will|wo n't|not be here|around tomorrow|anymore|soon",
        "~will|wo n't|not be here|around much|for longer|long",
        "~will|wo n't|not be here|around by morning",
        "not|n't going to be here|around much|for longer|long",
        "not|n't going to be here|around tomorrow|anymore|soon",
        "~will|wo n't|not be alive much|for|tomorrow|by|next|soon",
        "not|n't going to be alive much|for|tomorrow|by|next|soon",
        "~say goodbye to you",
        "thanks|thank you for trying|everything _? goodbye|bye",
        "~will|wo n't|not be here|around after tonight",
        "~will|wo n't|not be here|around next week",
        "this is my last message|text|post|night|day|goodbye",
        "last time you 'll|will _? hear from me",
        "tell my mom|mum|dad|family|sister|brother|kids|parents|friends|daughter|son i 'm|am sorry",
        "tell my mom|mum|dad|family|sister|brother|kids|parents|friends|daughter|son i love",
        "~take care of my cat|dog|kids|pets|plants when|after i 'm|am",
        "~give away my things|stuff|belongings|possessions|pets|cat|dog|clothes",
        "i 'm|am sorry for everything _? goodbye",
        tail_unless=r"(to (him|her|them)\b|for (him|her|them)\b)",
        sentence_unless=(
            r"\b(travel\w*|trip|flight|fly|flying|work|shift|vacation|holiday|going away|busy|"
            r"out of town|moving|move|road|offline|camping|festival|hospital visit|charity|airport|"
            r"goodwill|donat\w*)\b"
        ),
    ),
    _rule(
        "suicide.goodbye_note", SUICIDE,
        "goodbye|suicide note|letter|letters|notes|message|messages|video",
        "~write|leave a|my|the note|notes for|to my|everyone|whoever|anyone",
        sentence_unless=PARTNER_ONLY + r"|\b(unsent|to my ex|closure|dishes|groceries|fridge|"
        r"shopping|reminder|lunch|birthday|roommate|flatmate)\b",
    ),
    _rule(
        "suicide.means", SUICIDE,
        "noose|nooses",
        "rope around my neck",
        "~tie|make a rope|noose",
        "~jump|throw|fling off|from _? _? bridge|building|roof|rooftop|cliff|balcony|ledge|"
        "tower|overpass|window|highway|motorway|parking",
        "~jump|step|walk|throw|lie in front of _? _? train|bus|car|truck|lorry|traffic|subway|"
        "tube|tram",
        "~step|walk|lie into|under _? _? train|bus|car|truck|lorry|traffic|tram|sea|ocean|"
        "river|lake",
        "~throw myself off|from",
        "~throw myself in front of",
        "~stand on the edge of the roof|bridge|building|cliff|platform",
        "gun|pistol|revolver to|against|in my head|temple|mouth|chin",
        "bullet in|through my head|brain|skull",
        "~slit|slash|open my wrists|wrist|throat|veins|vein",
        "~drive|steer|crash|swerve my car|myself into|off",
        "~drive|steer|crash|swerve my car|myself in front of",
        "~drive|steer|swerve into|off _? _? wall|tree|bridge|cliff|river|lake|truck|lorry|barrier",
        "~walk into the sea|ocean|lake|river|water",
        "~take|swallow|down all|every _? _? " + MEDS,
        "~take|swallow them all",
        "~take|swallow all of them",
        "~take|swallow|down all of my|the _? " + MEDS,
        "~overdose on all|every _? _? " + MEDS,
        "all the|my _? " + MEDS + " at once",
        "all the|my _? " + MEDS + " tonight",
        "lethal|fatal dose|amount|overdose",
        "~stockpile|hoard|save|stash|hide _? _? _? " + MEDS,
        MEDS + " _? saved|stockpiled|stashed|hoarded|counted|lined|ready",
        "pills|meds|tablets|rope|gun|noose _? _? ready|prepared",
        "pills pills",
        "bottle|pack|box of " + MEDS + " next|beside|by|in",
        MEDS + " next to|beside me",
        "~keep looking|staring at the|my _? " + MEDS,
        "~keep looking|staring at the|my _? rope|noose|gun|blades|razor|bridge",
        "~stare at the|my _? " + MEDS,
        "pills tonight|goodbye|forever",
        "i _? ~buy|get a|the rope|gun|noose",
        tail_unless=(
            r"(for (climbing|camping|the (boat|tent|dog|swing|hammock|garden|gym)|my (boat|tent|"
            r"dog|swing|hammock|garden|gym))|today like|as prescribed|on time|like (i|the) "
            r"(should|doctor)|for the day|for (hunting|the range|protection|self defen[cs]e)|"
            r"for pick ?up|to pick up|at the pharmacy)"
        ),
        sentence_unless=r"\b(vitamins?|supplements?|for (my|the) (trip|travel|vacation|holiday))\b",
    ),
    _rule(
        "suicide.stop_meds", SUICIDE,
        "~stop taking my meds|medication|medicine|insulin|pills",
        sentence_requires=r"\b(let it happen|die|dying|end|don'?t care|no point|give up|"
        r"be over|never wake)\b",
    ),
    _rule(
        "suicide.how_many_pills", SUICIDE,
        "how many|much " + MEDS,
        sentence_requires=(
            r"\b(die|dead|kill|lethal|fatal|enough|overdose|od|not wake|never wake|end it|"
            r"to take to|would it take|does it take|to stop)\b"
        ),
    ),
    _rule(
        "suicide.third_party", SUICIDE,
        "~kill|hang|shoot|unalive @them_self",
        sentence_unless=r"\bthreat\w*",
    ),
)

SELF_HARM_RULES: Tuple[Rule, ...] = (
    _rule(
        "self_harm.word", SELF_HARM,
        "self -? ~harm|harming|harmed|injury|injure|injuring|mutilation|mutilate|hurt|hurting",
        "nssi",
    ),
    _rule(
        "self_harm.sh", SELF_HARM,
        "to|on|did|do|doing|with|from|about|of|relapse|relapsed sh",
        "sh again|urges|urge|relapse|relapsed|tonight|scars|scar|thoughts|wounds|cuts|today|rn",
        "sh last night",
        "sh right now",
        "sh'd|shing",
    ),
    _rule(
        "self_harm.cut_self", SELF_HARM,
        "~cut|slice|carve|slash|stab|gouge|knife myself",
        "~cut|slice|carve|slash|stab|knife my|his? " + BODY_PARTS,
        "~cut|carve into my " + BODY_PARTS,
        "~carve|cut _? _? into my|his? " + BODY_PARTS,
        "i _? ~cut deep|deeper",
        "knife my|the? " + BODY_PARTS,
        tail_unless=(
            r"(off|out|free|loose|short|some slack|a break|a slice|a piece|down|back|some|a deal|"
            r"in on|shaving|open on|on (the|a|some|broken|paper))"
        ),
        sentence_unless=ACCIDENT,
    ),
    _rule(
        "self_harm.cut_again", SELF_HARM,
        "~cut again|tonight|today|yesterday|deeper",
        "~cut last night",
        "cutting again|tonight|deeper",
        "~start|been|begin cutting",
        "~relapse and|& ~cut",
        sentence_unless=(
            r"\b(hair|bangs|fringe|nails|grass|lawn|class|classes|school|carbs|sugar|calories|"
            r"coffee|caffeine|corners|ties|contact|him|her|them|off|out|cards|deck|losses|budget|"
            r"spending|back|down|cake|bread|fabric|paper|wood|pieces|onions?|meat|people|friends)\b"
        ),
    ),
    _rule(
        "self_harm.cut_urge", SELF_HARM,
        "~urge|urges|want|need|crave|craving|tempted|itch|itching|wanna to? cut|cutting",
        "~go|about|plan|ready|start to cut",
        "~think about|of cutting",
        "~relapse|relapsing|relapsed on|into? cutting",
        tail_only=(
            END + r"|again|tonight|so bad|so badly|badly|bad\b|right now|now|really|today|"
            r"myself|deep|deeper|is\b|are\b|was\b|'s\b|it'?s\b|right\b|after|since|even|more"
        ),
    ),
    _rule(
        "self_harm.urge_again", SELF_HARM,
        "~want|need|go|urge|start to _? again",
        "~want|need|go|urge|start to _? tonight|today",
        "~want|need|go|urge|start to do it again",
        sentence_requires=r"\b(cut\w*|self harm\w*|sh|burn\w*|hurt(ing)? myself|harm\w*|od)\b",
    ),
    _rule(
        "self_harm.hurt_self", SELF_HARM,
        "~hurt|harm|injure|punish|abuse|bruise|burn|hit|punch|slap|beat|bite|pinch|choke|"
        "strangle|starve|bash|scratch|batter|brand|whip @me_self",
        "~hurt|harm|punish|destroy|damage|mutilate|abuse|injure|starve my body|skin",
        "~burn|scald my " + BODY_PARTS,
        tail_unless=(
            r"(by (going|checking|texting|calling|looking|stalking|staying|reading|waiting|hoping|"
            r"thinking|letting|believing|trusting|chasing|overthinking|replaying|scrolling|"
            r"comparing|holding|loving|missing|wanting|caring|keeping)|over (him|her|them|this|it|"
            r"a guy|a girl|someone)|with (thoughts|these thoughts|memories|this|overthinking|"
            r"questions|what ifs)|for (loving|trusting|believing|staying|texting|missing|caring|"
            r"wanting|falling|going back|not|being so|every)|staying|going back|checking|texting|"
            r"waiting|holding on|emotionally|mentally|more (by|than)|like this|thinking|"
            r"up (about|over)|in the (head|face) with (the|a) (door|ball|cupboard))"
        ),
        sentence_unless=ACCIDENT,
    ),
    _rule(
        "self_harm.bleed", SELF_HARM,
        "until|till|til _? _? bleed|bled|bleeds|bleeding|bruise|bruised|bruises",
        "until|till|til it|they|i|my _? bleed|bled|bleeds|bleeding|bruise|bruised|bruises",
        "~make myself bleed|bruise|hurt",
        "~want|need|deserve to bleed",
        "~want|need|deserve to see blood",
        "~want|need|deserve to feel _? pain",
        "~deserve to be hurt|punished",
        sentence_unless=r"\b(nose ?bleed|period|gums)\b",
    ),
    _rule(
        "self_harm.overdose", SELF_HARM,
        "~overdose|overdosed|overdosing|od",
        "~take|swallow too many|extra " + MEDS,
        "~take|swallow a|the bunch|handful|lot|load|whole|entire of? _? " + MEDS,
        "~swallow a|the whole|entire bottle|pack|box|packet|strip|blister",
        "whole|entire bottle|pack of " + MEDS,
        tail_unless=(
            r"on (?!(purpose|pills?|meds?|medication|my\b|tablets?|paracetamol|tylenol|ibuprofen|"
            r"advil|xanax|valium|ambien|insulin|sleeping|pain|antidepressants?|drugs|heroin|"
            r"fentanyl|something|everything|the (pills|meds|tablets)|them|it\b|all|"
            r"\w+ (pills|meds)))"
        ),
        head_unless=r"\b(died|death|passed away|lost (him|her|my \w+)) (of|from|to)( an?)?\s*$",
        self_reference=True,
        sentence_unless=ACCIDENT,
    ),
    _rule(
        "self_harm.burn", SELF_HARM,
        "cigarette|cigarettes|lighter|lighters|match|matches|iron on|to|against my " + BODY_PARTS,
        sentence_unless=r"\b(accident\w*|by mistake)\b",
    ),
    _rule(
        "self_harm.blade", SELF_HARM,
        "razor blade|blades",
        "~grab|hold|take|keep|hide|find|pick _? _? _? razor|razors|blade|blades",
        "blade|blades|razor|knife|glass|scissors to|on|against|into my|the? " + BODY_PARTS,
        "razor|razors|blade|blades _? _? in|under my drawer|room|bag|bed|desk|pillow|pocket",
        "~think about|of _? _? blades|razor|razors",
        sentence_unless=r"\b(shav\w*|beard|mustache|moustache|legs for|cooking|kitchen)\b|"
        + ACCIDENT,
    ),
    _rule(
        "self_harm.break_bones", SELF_HARM,
        "~break|snap|fracture my own? bones|bone|arm|hand|fingers|finger|wrist|leg|ribs",
        sentence_unless=ACCIDENT + r"|\b(heart|phone|screen|back|neck|brain)\b",
    ),
    _rule(
        "self_harm.fresh_wounds", SELF_HARM,
        "fresh|new|deep cuts|cut|wounds|burns|scars on my",
        "fresh cuts|wounds|burns",
        "covered in cuts|burns",
        "cuts|burns on|in my " + BODY_PARTS,
        sentence_unless=ACCIDENT + r"|\b(cat|cats|dog|kitten|puppy|thorns?|roses?|bush|bushes|"
        r"brambles|paper)\b",
    ),
    _rule(
        "self_harm.cutting_bare", SELF_HARM,
        "i _? _? ~cut|cutting",
        "cutting",
        tail_only=(
            r"^($|[.,!?;:)]|and\b|but\b|again|lol|rn\b|tonight|today|last night|yesterday|"
            r"this (morning|evening|week)|because|cause|cuz|when|after|helps|deep|so deep|"
            r"even|more|every|to (cope|feel|numb|deal|punish|calm|forget|get through)|so i\b)"
        ),
        sentence_unless=(
            r"\b(hair|bangs|fringe|nails|grass|lawn|class|classes|school|carbs|sugar|calories|"
            r"coffee|caffeine|corners|ties|contact|cards|deck|losses|budget|spending|back|down|"
            r"cake|bread|fabric|paper|wood|pieces|onions?|meat|people|friends|him|her|them|off|"
            r"out|coupons?|costs?|line|queue|in line|paste|film|edit\w*|video|scene|hedge|"
            r"wire|diamonds?|glass|mat|board|knife|scissors|chopping|slicing)\b"
        ),
    ),
    _rule(
        "self_harm.head_bang", SELF_HARM,
        "~bang|hit|slam|smash my head against|on|into",
        sentence_requires=(
            r"\b(until|on purpose|bleed|bled|blood|bruise|so hard|concussion|again and again)\b"
        ),
    ),
    _rule(
        "self_harm.starve", SELF_HARM,
        "~stop|quit eating on purpose",
        "not eating on purpose",
        "~stop|quit eating to punish",
        "~starve _? myself",
    ),
)

DANGER_RULES: Tuple[Rule, ...] = (
    _rule(
        "danger.hit", DANGER,
        "@whoany _? _? ~hit|punch|slap|smack|kick|headbutt|elbow|stomp|strike|knee me|us",
        tail_unless=(
            r"(up\b|back\b|with (a|an|the|his|her|this|that|some) (?!.*\b(belt|fist|bat|stick|"
            r"bottle|hand|pan|phone|chair|shoe|knife|gun|hammer|cup|mug|remote|lamp|book|plate|"
            r"glass|weapon|object|cable|cord|rock|brick|bag|keys)\b)|"
            r"with (a |the |his |her |this |that )?(\"|'|“|text|message|dm|line|news|"
            r"silent treatment|silence|guilt|question|words?|look|speech|truth|reply|quote|"
            r"meme|breakup|attitude)|with (\"|'|“)|like a ton|hard emotionally|all at once)"
        ),
    ),
    _rule(
        "danger.beat", DANGER,
        "@whoany _? _? ~beat @victim",
        "@whoany _? _? beat|beats|beating @victim up",
        tail_unless=(
            r"(at\b|in (?!the (face|head|stomach|chest|back))|to it|to the punch|first|home|"
            r"there|by\b)"
        ),
    ),
    _rule(
        "danger.assault", DANGER,
        "@whoany _? _? ~batter|assault|attack|abuse|molest|rape|strangle|choke|throttle|smother|"
        "suffocate|stab|shoot|whip|restrain|tie @victim",
        "@whoany _? _? ~spit on|at me",
        tail_unless=r"(with (his|her|their) (words|silence|love|kindness|ex|questions)|a |an |"
        r"down|back|some |me a)",
    ),
    _rule(
        "danger.wounds", DANGER,
        "@whoany _? _? ~bruise|injure|wound|cut|burn|scald @victim",
        "@whoany _? _? ~hit|punch|slap|kick|headbutt|smack|bite|scratch|choke my face|head|"
        "stomach|neck|throat|chest|back|arm|arms|eye|mouth|nose|body",
        "@whoany _? _? ~break|smash|throw|destroy|wreck things|stuff|furniture|plates|dishes|"
        "glasses|chairs",
        "@whoany _? _? ~break|smash|throw|destroy|wreck my phone|stuff|things|car|laptop|door|"
        "window|tv|glasses|belongings",
        "~throw|hurl things|stuff|plates|glasses|bottles|chairs|objects at me|us|my",
        "@whoany _? _? ~slam|smash|bang|hit|push|shove my head|face into|against|on",
        "@whoany _? _? ~break|broke my nose|jaw|ribs|rib|arm|wrist|finger|fingers|teeth|tooth|leg",
        "@whoany _? _? his|her|their hands|hand|arm|fingers around|on my neck|throat",
        tail_unless=(
            r"(off|out|away|loose|free|short|deep|before|again if|bad\b|badly|so (bad|deep|much)|"
            r"once|twice|emotionally|some slack|a break|a deal|in on|my (heart|feelings|trust|"
            r"confidence|plans|phone screen))"
        ),
    ),
    _rule(
        "danger.push", DANGER,
        "@whoany _? _? ~push|shove|grab|shake|drag|pin|throw|knock|slam|trip|corner @victim",
        "@whoany _? ~throw|hurl a|the|his|her|my? glass|glasses|plate|plates|bottle|phone|shoe|"
        "chair|cup|mug|bowl|book|remote|vase|knife|things|stuff|something|it|keys|lamp|drink|"
        "food|bottles|chairs at me|us|my",
        tail_unless=(
            r"(away|aside|out of (his|her|their) life|to (my|the) (limits?|breaking point|edge)|"
            r"into (doing|being|it|a relationship|getting)|around emotionally|up\b|off guard|"
            r"a |an |some |the (ball|bag|keys)|over the edge|under the bus|out of my comfort|"
            r"for (a|an) |to (a|the|his|her|this|that) (party|event|club|bar|wedding|movie|"
            r"dinner|gym)|along|to (be|do|try|grow|change|open|work|get|go|see|make|take|stop|"
            r"try)\b|by (the|my) hand)"
        ),
    ),
    _rule(
        "danger.threat_kill", DANGER,
        "@who _? @modal ~kill|murder|unalive|stab|shoot|strangle|choke|rape|attack|bury|end "
        "@victim",
        "@who _? @modal beat @victim up",
        "@who _? @modal break my neck|legs|arms|jaw|face",
        "@who _? almost|nearly _? ~kill @victim",
        "@who could have ~kill @victim",
        "~threaten to _? ~kill|hurt|harm|murder|unalive|stab|shoot|rape|beat @victim",
        "~threaten @victim",
        "~threaten my life",
        "death threat|threats",
        "~send|get|receive _? _? threats|threatening",
        "~threaten to post|share|leak|send|publish|release|show|expose _? _? nudes|pics|pictures|"
        "photos|videos|video|tape|sex|intimate|private",
        "~threaten to take the|my kids|children|son|daughter|baby",
        "~threaten _? _? kill|hurt|harm|end|unalive @them_self",
        "~threaten _? _? end his|her|their life",
        "@who 'll|will|would|'d ~kill|hurt|harm @them_self if|when i",
        "@who is going to ~kill|hurt|harm @them_self if|when i",
        tail_unless=(
            r"(with (a )?(break ?up|breaking up|leaving|divorce|the silent treatment|"
            r"silence|ghosting|blocking))"
        ),
    ),
    _rule(
        "danger.threat_hurt", DANGER,
        "@who _? @modal ~hurt|harm|injure|hit|beat|punch|slap @victim",
        "@who _? ~hurt|harm|injure @victim physically",
        sentence_unless=EMOTIONAL,
    ),
    _rule(
        "danger.hurts_physically", DANGER,
        "@who _? ~hurt|harm @victim",
        sentence_requires=(
            r"\b(drunk|drinks|high|bruise\w*|physically|black eye|marks|bleed\w*|hospital|"
            r"angry|rage|violent)\b"
        ),
        sentence_unless=EMOTIONAL,
    ),
    _rule(
        "danger.fear", DANGER,
        "~fear for my life|safety",
        "scared|afraid|terrified|fearing|frightened for my life|safety",
        "scared|afraid|terrified|frightened of him|her|them",
        "scared|afraid|terrified|frightened of my " + PARTNERS + "|" + FAMILY,
        "scared|afraid|terrified|frightened of what he|she|they _? _? do",
        "scared|afraid|terrified|frightened to go|be home|back",
        "scared|afraid|terrified|frightened to be at|in home|the house",
        "scared|afraid|terrified|frightened of going home|back",
        tail_only=(
            END + r"|when|right now|now\b|at home|physically|sometimes|too\b|though|he\b|she\b|"
            r"they\b|to me|if i|every|whenever|after|since|of what"
        ),
    ),
    _rule(
        "danger.found", DANGER,
        "@who _? @modal find|track @victim",
        "@who _? @modal come for|after @victim",
        "when|if|once he|she|they _? ~find|track|catch me",
        sentence_requires=(
            r"\b(scared|afraid|terrified|hiding|hide|fear|ran|run|escape|fled|police|safe|kill|"
            r"hurt)\b"
        ),
    ),
    _rule(
        "danger.unsafe", DANGER,
        "i 'm|am|m not safe",
        "i|we|kids|children 'm|am|'re|are|feel|do|did n't|not _? safe",
        "not|n't feel safe",
        "~feel unsafe",
        "unsafe at|in my? home|house|apartment|flat|room|place",
        "unsafe with|around him|her|them|my",
        negatable=False,
        tail_unless=(
            r"(in my (own )?(body|skin|head|mind|thoughts)|in (relationships|love|my body|my own "
            r"body)|with (my )?(feelings|emotions|thoughts|myself|my body)|being (alone|vulnerable|"
            r"loved|seen|close)|opening up|"
            r"to (text|call|love|trust|be (alone|loved|vulnerable|seen|"
            r"myself)|open up|let|say|tell|feel|attach|rest)|when (he|she|they) (pulls?|withdraws?|"
            r"leaves?|goes|ignores?|does ?n'?t|is (distant|cold|away|gone)|is n't|'s (distant|cold|"
            r"away|gone))|emotionally|without (him|her|them)|(with|in|around) anyone|in my nervous|"
            r"in (the|this|my) (relationship|world|city)|with people|attaching|to be me|"
            r"(loving|trusting|dating|opening|letting|being|getting|falling) )"
        ),
        sentence_unless=(
            r"\b(nervous system|safe enough to attach|my body (still )?(does ?n'?t|feels))\b"
        ),
    ),
    _rule(
        "danger.in_danger", DANGER,
        "i|we 'm|am|are|'re _? in danger",
        "life|kids|children|family|baby|son|daughter is|are|'s|'re _? in danger",
        "in danger right now|here|tonight",
        tail_unless=r"of\b",
        sentence_unless=r"\b(brain|body|nervous system|feels like|says|thinks|tells me|alarm|"
        r"mind|amygdala)\b",
    ),
    _rule(
        "danger.stalking", DANGER,
        "@whoany _? _? ~follow|stalk|track|trail @victim",
        "car|van _? _? ~follow|track|trail @victim",
        "being followed|stalked|tracked|watched",
        "~follow me home|here",
        "~follow me to my|the car|house|work|job|apartment|flat|school|place|door",
        "stalker|stalkers|stalking",
        "~track|trace my phone|location|car|movements|whereabouts",
        "tracker|airtag|gps on|in my car|phone|bag",
        "~put a tracker|airtag|gps",
        "@whoany _? _? outside my|the house|home|door|window|apartment|flat|work|job|place|"
        "building|school|car|room",
        "@whoany _? _? ~bang|pound|kick|knock|pounding|banging on|at my|the door|window|doors|"
        "windows",
        "~break into|in _? my|the house|apartment|flat|door|place|home|window|car|room",
        "~break in to my|the",
        "~try to break in|into",
        "~break down my|the door|doors",
        "~show up wherever|everywhere",
        tail_unless=(
            SOCIAL + r"|(on (instagram|ig|insta|tiktok|twitter|x|snapchat|snap|facebook|fb|"
            r"youtube|twitch|spotify|linkedin|social)|back|everywhere online|"
            r"to (pick|drop|take|drive|bring|collect|give))"
        ),
        sentence_unless=(
            r"\bi('m| am| was| 've been| have been| keep| kept| keep on| been)? stalk\w*|"
            r"\bstalk(ing|ed)? (his|her|their|my ex)\b"
        ),
    ),
    _rule(
        "danger.wont_stop", DANGER,
        "n't|not|never stop following|stalking|harassing|watching @victim",
        negatable=False,
    ),
    _rule(
        "danger.showed_up", DANGER,
        "~show up at|to my|the? house|work|job|door|place|apartment|school|flat|home",
        sentence_requires=(
            r"\b(again|uninvited|unannounced|after i (told|asked|blocked|said)|won'?t leave|"
            r"wouldn'?t leave|refused to leave|drunk|angry|banging|restraining|blocked|"
            r"at (night|\d|midnight)|\dam|scared|afraid|every ?(where| day|time)|keeps?|"
            r"threat\w*)\b"
        ),
    ),
    _rule(
        "danger.confined", DANGER,
        "~lock me in|out|inside|up",
        "locked|trapped in _? _? room|bathroom|bedroom|house|closet|basement|car|apartment|"
        "flat|garage|attic|cellar|shed|home",
        "~trap me",
        "@whoany _? n't|not let me leave|out|eat|sleep|call|work",
        "@whoany _? n't|not let me go out|outside|home|anywhere|to",
        "@whoany _? n't|not let me use|have|touch|see|keep my|the? phone|money|keys|friends|"
        "family|car",
        "~hide|hiding from him|her|them",
        "~hide|hiding from my " + PARTNERS + "|" + FAMILY,
        "~hide|hiding in the|my bathroom|closet|car|bedroom|basement|wardrobe",
        "~hold|keep me hostage|prisoner|captive",
        "against my will",
        "@whoany _? _? ~take|hide|smash|break|grab|destroy my phone|keys|passport|wallet|money|"
        "cards|documents",
        "~kidnap|kidnapped|abduct|abducted",
        negatable=False,
        tail_unless=(
            r"(charger|case|cable|number|plan\b|early|till|until|before|the (office|meeting|class)|"
            r"without (finishing|paying)|"
            r"go\b(?! (out|outside|home|anywhere|to)))"
        ),
    ),
    _rule(
        "danger.sexual", DANGER,
        "rape|raped|raping|rapist|rapes",
        "sexually|sexual assault|assaulted|abuse|abused|abusing|harass|harassed|harassment|"
        "coerced|violence",
        "molest|molested|molesting|molester|groped|grope|groping",
        "~force|coerce me to|into",
        "~force himself|herself|themselves on me",
        "~make me have sex",
        "~make me do sexual|sex",
        "~make me _? sexual",
        "~touch me without|against|while i",
        "~drug|spike me",
        "~drug|spike my drink|drinks",
        "drugged|spiked me",
        "drugged|spiked my drink|drinks",
        "without my consent",
        "n't|not consent",
        "i said no but|and he|she|they did it anyway",
        "i said no but|and he|she|they _? did it anyway",
        "i said no and he|she|they _? _? n't stop",
        "i said no and he|she|they kept going",
        "non -? consensual",
        "nonconsensual",
    ),
    _rule(
        "danger.unwanted_touch", DANGER,
        "~touch|grope|grab|kiss me",
        sentence_requires=r"\b(say|said|tell|told|ask|asked|beg\w*|scream\w*) (him |her |them )?"
        r"(no|stop|not to|to stop|don'?t)\b|\bwithout (my )?(consent|permission|asking)\b",
    ),
    _rule(
        "danger.at_door", DANGER,
        "@whoany _? _? at|outside my|the door|house|window|work|apartment|flat|place",
        sentence_requires=r"\b(scream\w*|yell\w*|bang\w*|pound\w*|drunk|angry|won'?t leave|"
        r"refus\w*|threat\w*|kick\w*|break\w*|scared|afraid|terrified)\b",
    ),
    _rule(
        "danger.weapon", DANGER,
        "@whoany _? _? ~pull|point|hold|wave|aim _? gun|knife|weapon|pistol|rifle|blade at|on|to "
        "me|my|us",
        "@whoany _? _? ~hold|put|press _? gun|knife|pistol|blade to|against my",
        "@whoany _? _? ~have|get|keep|carry|own|bring|grab|buy a|his|her|their? gun|knife|"
        "weapon|pistol|rifle",
        sentence_requires=(
            r"\b(angry|drunk|threat\w*|scared|afraid|terrified|kill|hurt|shoot|fight|yell\w*|"
            r"scream\w*|mad|rage|point\w*|wav\w*|said|keeps|pillow|bed|at me|to my|on me)\b"
        ),
    ),
    _rule(
        "danger.violence_words", DANGER,
        "domestic violence|abuse|abuser",
        "domestically abused|abusive",
        "physical|physically abuse|abused|abusive|violent|hurt|hurting|harmed|harming|hurts",
        "intimate partner violence",
        "restraining|protective|protection order",
        "women 's shelter|refuge",
        "safety plan",
        "~leave|escape safely",
        "~get out safely",
        "safely ~leave|escape|get",
        "@whoany _? _? violent",
        "@whoany 's|is|was|gets _? abusive|violent|dangerous",
        "@whoany has been _? abusive|violent",
        "@whoany can be _? abusive|violent",
        "~flee from? him|her|them|home",
        "~flee from my " + PARTNERS,
        tail_unless=r"(video games?|movies?|shows?|films?|music|sports?)",
        sentence_unless=r"\b(emotionally|mentally|verbally) abusive\b(?!.*\b(scared|afraid|"
        r"terrified|hurt|hit|safe|threat\w*|physical\w*)\b)",
    ),
    _rule(
        "danger.told_to_die", DANGER,
        "~tell|say|want|encourage|urge|dare|beg me to kill|hurt|unalive myself|yourself",
        "~tell|say me to die",
        "~tell|say me to go die",
        "~tell me to just die",
        "me to kill yourself",
    ),
    _rule(
        "danger.police", DANGER,
        "help me he|she|they 's|is|are coming|here|back|outside|inside",
        "~call the police|cops",
        "~call 911|999|000|112|111",
        sentence_unless=r"\b(noise|party|loud|parking|stolen bike|lost (my )?(wallet|phone))\b",
    ),
)

RULES: Tuple[Rule, ...] = SUICIDE_RULES + SELF_HARM_RULES + DANGER_RULES

# Long, distinctive trigger words worth a small edit-distance repair ("sucide" → suicide).
FUZZY_TARGETS: FrozenSet[str] = frozenset(
    """
    suicide suicidal myself yourself himself herself themselves overdose overdosed
    overdosing unalive unaliving strangle strangled strangling goodbye forever everyone self kill
    everybody bleeding harming existing anymore threatened threatening
    """.split()
)

# Real words that the WordNet lists lack and that must never be "repaired".
PROTECTED_WORDS: FrozenSet[str] = frozenset(
    """
    shh shhh shhhh sht lmk omw wyd hbu ily ilysm tho bc smh idek stan simp sus yikes
    texted texting unfollowed unfollow ghosted ghosting situationship lovebombing
    lovebombed breadcrumbing bestie selfie selfies insta snapchat tiktok whatsapp
    """.split()
)


# The backstop: a death or self-harm word that no rule looked at, in a sentence where the
# writer speaks of themself with intent ("i don't deserve to live", "all i think about is
# dying"). Words a rule matched and rejected (idioms, negations) are never reconsidered.
BACKSTOP_WORDS: Dict[str, str] = {
    **{word: SUICIDE for word in (
        "die dying dead death alive live living exist existing existence suicide suicidal "
        "goodbye goodbyes funeral grave permanent permanently"
    ).split()},
    **{word: SELF_HARM for word in "bleed bleeding bled deeper cuts".split()},
}
BACKSTOP_INTENT = frozenset(
    """
    want wish hope ready deserve meant plan planning decide decided finally tonight anymore
    need keep all getting
    """.split()
)
FIRST_PERSON = frozenset({"i", "me", "my", "myself"})
OTHER_PERSON = frozenset({"he", "she", "they", "him", "her", "his", "them", "their", "it"})


# --- the notation --------------------------------------------------------------------------


# A wildcard ("_") skips a word like "just" or "always", never punctuation or a word that
# starts a new thought ("man, it hit me" must not read as "man ... hit me").
WILDCARD_STOP = ("i", "it", "this", "that", "you", "and", "but", "or", "because", "if",
                 "when", "life", "reality", "everything", "something", "nothing")


def _token(item: str) -> Token:
    optional = item.endswith("?") and len(item) > 1
    if optional:
        item = item[:-1]
    if item == "_":
        # The stop words are checked after matching (bot.safety.screen): a NOT_IN set here
        # would run in Python for every token and double the Matcher's cost.
        token: Token = {"IS_PUNCT": False}
    elif item.startswith("~"):
        token = {"LEMMA": {"IN": item[1:].split("|")}}
    elif "|" in item:
        token = {"LOWER": {"IN": item.split("|")}}
    else:
        token = {"LOWER": item}
    if optional:
        token["OP"] = "?"
    return token


def expand(pattern: str, macros: Optional[Dict[str, Tuple[str, ...]]] = None) -> List[TokenPattern]:
    """Turns one pattern in Harbor's notation into spaCy Matcher patterns.

    Args:
        pattern: Space-separated items (see the module docstring).
        macros: Named alternatives for ``@name`` items (defaults to :data:`MACROS`).

    Returns:
        One token pattern per combination of macro alternatives.
    """
    macros = MACROS if macros is None else macros
    sequences: List[TokenPattern] = [[]]
    for item in pattern.split():
        if item.startswith("@"):
            optional = item.endswith("?")
            name = item[1:-1] if optional else item[1:]
            options = [seq for alt in macros[name] for seq in expand(alt, macros)]
            if optional:
                options.append([])
        else:
            options = [[_token(item)]]
        sequences = [seq + option for seq in sequences for option in options]
    return [seq for seq in sequences if any(tok.get("OP") != "?" for tok in seq)]


def matcher_patterns(rule: Rule) -> List[TokenPattern]:
    """All spaCy Matcher patterns of one rule."""
    return [token_pattern for pattern in rule.patterns for token_pattern in expand(pattern)]


def words_in(token_pattern: Sequence[Token]) -> List[Tuple[str, str]]:
    words: List[Tuple[str, str]] = []
    for token in token_pattern:
        for attr in ("LOWER", "LEMMA"):
            value = token.get(attr)
            if isinstance(value, str):
                words.append((attr, value))
            elif isinstance(value, dict) and "IN" in value:
                words.extend((attr, word) for word in value["IN"])  # type: ignore[union-attr]
    return words


# Very frequent words make poor anchors: a pattern is anchored on its rarest required word.
COMMON_WORDS = frozenset(
    """
    i me my you he she they it we us to the a an of in on at for with and or but is am are
    was were be been 's 'm 're 'd 'll n't not no never do did does can ca wo will would
    could should might want feel like just so this that all here there now what how why
    when if up out go going get got have has had one
    """.split()
)


def anchor_words(token_pattern: Sequence[Token]) -> FrozenSet[str]:
    """The words of a pattern's rarest required token: without one of them, no match.

    A required token is one without ``OP: "?"``; its words are its ``LOWER``/``LEMMA``
    value(s). The chosen token avoids common words where it can and has the fewest values.
    """
    candidates: List[Tuple[bool, int, FrozenSet[str]]] = []
    for token in token_pattern:
        if token.get("OP") == "?":
            continue
        values = frozenset(word for _, word in words_in([token]))
        if values:
            candidates.append((bool(values & COMMON_WORDS), len(values), values))
    if not candidates:
        raise ValueError(f"pattern has no required word to anchor on: {token_pattern}")
    return min(candidates, key=lambda c: (c[0], c[1]))[2]


@lru_cache(maxsize=1)
def trigger_words() -> FrozenSet[str]:
    """Every word the patterns are written with (lowercase forms and lemmas)."""
    return frozenset(
        word
        for rule in RULES
        for token_pattern in matcher_patterns(rule)
        for _, word in words_in(token_pattern)
        if re.fullmatch(r"[a-z]+", word)
    )


@lru_cache(maxsize=1)
def trigger_lemmas() -> FrozenSet[str]:
    """The words the patterns match by lemma (their inflected forms are triggers too)."""
    return frozenset(
        word
        for rule in RULES
        for token_pattern in matcher_patterns(rule)
        for attr, word in words_in(token_pattern)
        if attr == "LEMMA" and re.fullmatch(r"[a-z]+", word)
    )


@lru_cache(maxsize=None)
def compiled(regex: Optional[str]) -> Optional[Pattern[str]]:
    """Compiles (once) one of the rules' context expressions."""
    return None if regex is None else re.compile(regex)


# --- the rule files --------------------------------------------------------------------------

RULES_DIR = Path(__file__).resolve().parent / "data" / "rules"
# One file per category, matched in this order (the order of RULES).
RULE_FILES = (SUICIDE, SELF_HARM, DANGER)
_FRAGMENT = re.compile(r"\$\{(\w+)\}")
_CONTEXT_FIELDS = (
    "tail_unless", "tail_only", "head_unless", "sentence_unless", "sentence_requires"
)
_FLAG_FIELDS = ("partner_only", "self_reference", "negatable", "past_sensitive")


@dataclass(frozen=True)
class Vocabulary:
    """What the rules share (``vocabulary.yml``), with every ``${NAME}`` filled in.

    Attributes:
        fragments: Named alternatives and context expressions (``PAST``, ``PARTNER_ONLY``...).
        macros: The alternatives of each ``@name`` pattern item.
        fuzzy_targets: Trigger words worth an edit-distance repair.
        protected_words: Words never "repaired".
        backstop_words: Death or self-harm words the backstop looks at, with their category.
        backstop_intent: Words of intent the backstop needs in the sentence.
        first_person: Words by which the writer speaks of themself.
        other_person: Words naming someone else.
        wildcard_stop: Words a wildcard (``_``) never stands for.
        common_words: Words too frequent to anchor a pattern on.
    """

    fragments: Dict[str, str]
    macros: Dict[str, Tuple[str, ...]]
    fuzzy_targets: FrozenSet[str]
    protected_words: FrozenSet[str]
    backstop_words: Dict[str, str]
    backstop_intent: FrozenSet[str]
    first_person: FrozenSet[str]
    other_person: FrozenSet[str]
    wildcard_stop: Tuple[str, ...]
    common_words: FrozenSet[str]


def _read_yaml(path: Path) -> Any:
    import yaml

    with path.open(encoding="utf8") as handle:
        return yaml.safe_load(handle)


def _joined(value: Union[str, List[str]]) -> str:
    """A string written in pieces (a YAML list) is the pieces joined without spaces."""
    return "".join(value) if isinstance(value, list) else value


def _fill(text: str, fragments: Dict[str, str]) -> str:
    def fragment(match: "re.Match[str]") -> str:
        name = match.group(1)
        if name not in fragments:
            raise ValueError(f"unknown fragment ${{{name}}} in {text!r}")
        return fragments[name]

    return _FRAGMENT.sub(fragment, text)


def load_vocabulary(directory: Path = RULES_DIR) -> Vocabulary:
    """Reads ``vocabulary.yml`` from ``directory``."""
    data = _read_yaml(directory / "vocabulary.yml")
    fragments: Dict[str, str] = {}
    for name, value in data["fragments"].items():
        fragments[name] = _fill(_joined(value), fragments)
    backstop = data["backstop"]
    return Vocabulary(
        fragments=fragments,
        macros={
            name: tuple(_fill(_joined(alt), fragments) for alt in alternatives)
            for name, alternatives in data["macros"].items()
        },
        fuzzy_targets=frozenset(data["fuzzy_targets"].split()),
        protected_words=frozenset(data["protected_words"].split()),
        backstop_words={
            word: category
            for category, words in backstop["words"].items()
            for word in words.split()
        },
        backstop_intent=frozenset(backstop["intent"].split()),
        first_person=frozenset(backstop["first_person"].split()),
        other_person=frozenset(backstop["other_person"].split()),
        wildcard_stop=tuple(data["wildcard_stop"].split()),
        common_words=frozenset(data["common_words"].split()),
    )


def _compile_rule(entry: Dict[str, Any], category: str, fragments: Dict[str, str]) -> Rule:
    unknown = set(entry) - {"id", "patterns", *_CONTEXT_FIELDS, *_FLAG_FIELDS}
    if unknown:
        raise ValueError(f"rule {entry.get('id')}: unknown fields {sorted(unknown)}")
    rule_id = entry["id"]
    if rule_id.split(".", 1)[0] != category:
        raise ValueError(f"rule {rule_id} is in the {category} file")
    context: Dict[str, Any] = {
        name: _fill(_joined(entry[name]), fragments) for name in _CONTEXT_FIELDS if name in entry
    }
    context.update({name: bool(entry[name]) for name in _FLAG_FIELDS if name in entry})
    patterns = tuple(_fill(pattern, fragments) for pattern in entry["patterns"])
    return Rule(rule_id, category, patterns, **context)


def load_rules(
    directory: Path = RULES_DIR, vocabulary: Optional[Vocabulary] = None
) -> Tuple[Rule, ...]:
    """Reads and compiles the rules of every category file in ``directory``."""
    vocabulary = vocabulary or load_vocabulary(directory)
    return tuple(
        _compile_rule(entry, category, vocabulary.fragments)
        for category in RULE_FILES
        for entry in _read_yaml(directory / f"{category}.yml")
    )


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The shipped vocabulary (read once)."""
    return load_vocabulary()


@lru_cache(maxsize=1)
def rules() -> Tuple[Rule, ...]:
    """The shipped rules, in matching order (read and compiled once)."""
    return load_rules(vocabulary=vocabulary())
