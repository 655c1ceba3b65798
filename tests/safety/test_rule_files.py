"""The rule files compile to exactly the rules that were written as Python tables."""

from bot.safety import patterns


def test_rule_files_compile_to_the_tables() -> None:
    assert patterns.rules() == patterns.RULES
    assert [patterns.matcher_patterns(r) for r in patterns.rules()] == [
        patterns.matcher_patterns(r) for r in patterns.RULES
    ]


def test_vocabulary_file_holds_the_tables() -> None:
    vocabulary = patterns.vocabulary()
    for name in ("PARTNERS", "FAMILY", "BODY_PARTS", "MEDS", "END", "ACCIDENT", "EMOTIONAL",
                 "PAST", "PRESENT", "RELATIONSHIP", "PARTNER_ONLY", "EVERYONE", "QUESTION",
                 "SOCIAL"):
        assert vocabulary.fragments[name] == getattr(patterns, name), name
    assert vocabulary.macros == patterns.MACROS
    assert vocabulary.fuzzy_targets == patterns.FUZZY_TARGETS
    assert vocabulary.protected_words == patterns.PROTECTED_WORDS
    assert vocabulary.backstop_words == patterns.BACKSTOP_WORDS
    assert vocabulary.backstop_intent == patterns.BACKSTOP_INTENT
    assert vocabulary.first_person == patterns.FIRST_PERSON
    assert vocabulary.other_person == patterns.OTHER_PERSON
    assert vocabulary.wildcard_stop == patterns.WILDCARD_STOP
    assert vocabulary.common_words == patterns.COMMON_WORDS
