"""The personal safety plan's content and reading: its seven steps, and how a plan is shown.

The steps and every sentence around the person's own words live in
``bot/content/data/safety_plan.yml``; this module loads them and turns a stored plan
(step id -> lines) into the messages Harbor sends: the whole plan ("show my plan"), the
short lead that comes before the hotlines in a hard moment, and one step at a time.
It also reads "add Priya to my people" and "skip".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

import yaml

DATA_FILE = Path(__file__).parent / "data" / "safety_plan.yml"
# The steps read out first in a hard moment, in this order: who to reach, what to do.
LEAD_STEPS = ("people", "coping", "distractions", "reasons")
MAX_LEAD_LINES = 3
MAX_LINE_CHARS = 300

Plan = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class Step:
    """One step of the plan: its id, heading, question and examples."""

    id: str
    label: str
    ask: str
    examples: Tuple[str, ...]
    lead: str


@dataclass(frozen=True)
class PlanContent:
    """The seven steps, in order, and the messages around them."""

    steps: Tuple[Step, ...]
    messages: Dict[str, str]

    def step(self, step_id: str) -> Step:
        """The step with this id (``KeyError`` when unknown)."""
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def text(self, key: str, **fields: str) -> str:
        """A message with its ``{fields}`` filled in."""
        return self.messages[key].format(**fields)


@lru_cache(maxsize=2)
def load(path: Optional[str] = None) -> PlanContent:
    """Loads and checks the plan's content (cached).

    Raises:
        ValueError: When a step or a message is missing or empty.
    """
    data = yaml.safe_load(Path(path or DATA_FILE).read_text(encoding="utf-8"))
    steps = tuple(
        Step(
            id=str(raw["id"]),
            label=str(raw["label"]),
            ask=str(raw["ask"]),
            examples=tuple(str(e) for e in raw["examples"]),
            lead=str(raw["lead"]),
        )
        for raw in data["steps"]
    )
    if len(steps) != 7 or not all(s.label and s.ask and s.examples for s in steps):
        raise ValueError("the safety plan needs seven steps, each with a question and examples")
    messages = {str(k): str(v) for k, v in data["messages"].items()}
    if not all(messages.values()):
        raise ValueError("every safety-plan message needs a text")
    return PlanContent(steps, messages)


def ask_text(content: PlanContent, index: int, current: Sequence[str] = ()) -> str:
    """The question for step ``index`` with its examples (and what it says now, if anything)."""
    step = content.steps[index]
    examples = "; ".join(f'"{example}"' for example in step.examples)
    parts = [step.ask, content.text("examples", examples=examples)]
    if current:
        parts.append(content.text("current", current="; ".join(current)))
    return "\n".join(parts)


def has_plan(plan: Plan) -> bool:
    """True when any step has a line."""
    return any(lines for lines in plan.values())


def show_text(content: PlanContent, plan: Plan) -> str:
    """The whole plan as one short message, steps in order, skipped steps left out."""
    lines = [content.text("show_title")]
    for step in content.steps:
        if plan.get(step.id):
            lines.append(f"• {step.label}: {'; '.join(plan[step.id])}")
    return "\n".join(lines)


def lead_text(content: PlanContent, plan: Plan) -> Optional[str]:
    """"Your plan says: text Priya; go out on the balcony …", or None for an empty plan.

    People to reach come first, then what the person can do on their own, then places,
    then their reasons; at most a few lines, so the hotlines stay on the first screen.
    """
    chosen: List[str] = []
    for step_id in LEAD_STEPS:
        for line in plan.get(step_id) or ():
            if len(chosen) < MAX_LEAD_LINES:
                chosen.append(line.rstrip(" .;"))
    if not chosen:
        return None
    return content.text("first", summary="; ".join(chosen))


def walk_steps(content: PlanContent, plan: Plan) -> List[Step]:
    """The steps of the plan that have something in them, in order."""
    return [step for step in content.steps if plan.get(step.id)]


def walk_text(content: PlanContent, plan: Plan, number: int) -> Optional[str]:
    """Step ``number`` (1-based) of the filled steps, or None past the end."""
    steps = walk_steps(content, plan)
    if not 1 <= number <= len(steps):
        return None
    step = steps[number - 1]
    return content.text(
        "walk_step",
        label=step.label,
        number=str(number),
        total=str(len(steps)),
        lines="; ".join(plan[step.id]),
    )


# --- reading what the person typed --------------------------------------------------------

_SKIP = re.compile(
    r"^\W*(skip( it| this( one)?| that( one)?)?|pass|next( one)?|none|nothing|no idea|"
    r"not sure|i don'?t know|idk|n/?a|-)\W*$",
    re.IGNORECASE,
)
# "add Priya to my people", "put the café on my plan under places", "add my dog to my reasons"
_ADD = re.compile(
    r"^\s*(?:please\s+)?(?:can you\s+)?(?:add|put)\s+(?P<what>.+?)\s+(?:to|on|in|under)\s+"
    r"(?:my\s+)?(?P<where>[\w' -]+?)\s*[.!]*\s*$",
    re.IGNORECASE,
)
# Words that say which step an added line belongs to.
_STEP_WORDS = (
    ("people", ("people", "person", "contacts", "who i can", "help")),
    ("distractions", ("places", "distraction", "distract", "mind off")),
    ("coping", ("coping", "on my own", "things i can do", "what i can do")),
    ("warning_signs", ("warning", "signs")),
    ("professionals", ("professional", "therapist", "doctor", "lines")),
    ("safer", ("safer", "safe", "surroundings")),
    ("reasons", ("reason", "keep going")),
)


def is_skip(text: str) -> bool:
    """True when a typed answer means "skip this step"."""
    return bool(_SKIP.match(text or ""))


def parse_addition(text: str) -> Optional[Tuple[str, str]]:
    """``("people", "Priya")`` from "add Priya to my people"; None when it isn't one.

    A line added to "my plan" without a step goes under people to reach, the step most
    often added to.
    """
    match = _ADD.match(text or "")
    if not match:
        return None
    what = match.group("what").strip(" \"'")
    where = match.group("where").lower()
    if not what or len(what) > MAX_LINE_CHARS:
        return None
    if re.fullmatch(r"(safety )?(plan|list)", where.strip()):
        return "people", what
    for step_id, words in _STEP_WORDS:
        if any(word in where for word in words):
            return step_id, what
    return None
