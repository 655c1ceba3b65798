"""The rule files (bot/safety/data/rules/) and their compiler, bot.safety.patterns."""

from pathlib import Path

import pytest

from bot.safety.assessment import CATEGORIES
from bot.safety.patterns import RULE_FILES, Rule, load_rules, load_vocabulary, rules

VOCABULARY = """
fragments:
  PARTNERS: ex|boyfriend
  WHO: he|she|${PARTNERS}
  END:
    - '($|[.,!?]|'
    - 'and\\b)'
macros:
  who: ['${WHO}', 'my ${PARTNERS}']
fuzzy_targets: suicide myself
protected_words: situationship
backstop:
  words: {suicide: die dying, self_harm: bleed}
  intent: want tonight
  life_words: live
  life_negators: not
  first_person: i me
  other_person: he she
wildcard_stop: i it
common_words: i me
"""


def write_rules(directory: Path, danger: str, suicide: str = "[]", self_harm: str = "[]") -> None:
    (directory / "vocabulary.yml").write_text(VOCABULARY, encoding="utf8")
    for name, text in (("suicide", suicide), ("self_harm", self_harm), ("danger", danger)):
        (directory / f"{name}.yml").write_text(text, encoding="utf8")


def test_a_rule_file_compiles_with_its_fragments_filled_in(tmp_path: Path) -> None:
    write_rules(
        tmp_path,
        danger="""
- id: danger.hit
  patterns: ['@who ~hit me', 'my ${PARTNERS} hit me']
  tail_only: ['${END}', '|tonight']
  partner_only: true
""",
    )
    vocabulary = load_vocabulary(tmp_path)
    assert vocabulary.fragments["WHO"] == "he|she|ex|boyfriend"
    assert vocabulary.macros["who"] == ("he|she|ex|boyfriend", "my ex|boyfriend")
    assert vocabulary.backstop_words == {"die": "suicide", "dying": "suicide", "bleed": "self_harm"}
    assert load_rules(tmp_path) == (
        Rule(
            "danger.hit",
            "danger",
            ("@who ~hit me", "my ex|boyfriend hit me"),
            tail_only=r"($|[.,!?]|and\b)|tonight",
            partner_only=True,
        ),
    )


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("- id: danger.x\n  patterns: ['${NOBODY} hit me']", "unknown fragment ${NOBODY}"),
        ("- id: suicide.x\n  patterns: ['hit me']", "suicide.x is in the danger file"),
        ("- id: danger.x\n  patterns: ['hit me']\n  tail_unles: 'x'", "unknown fields"),
    ],
)
def test_a_mistake_in_a_rule_file_is_named(tmp_path: Path, entry: str, message: str) -> None:
    write_rules(tmp_path, danger=entry)
    with pytest.raises(ValueError, match=message.replace("$", r"\$").replace("{", r"\{")):
        load_rules(tmp_path)


def test_the_shipped_files_hold_every_category_in_order() -> None:
    assert set(RULE_FILES) == set(CATEGORIES)
    shipped = rules()
    categories = [rule.category for rule in shipped]
    assert categories == sorted(categories, key=RULE_FILES.index)
    assert set(categories) == set(CATEGORIES)
