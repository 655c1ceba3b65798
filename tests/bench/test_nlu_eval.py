"""Held-out scoring: accuracy, macro-F1 over labelled intents, confusion pairs."""

from bench.nlu_eval import predicted_intents, score


def test_scores_and_confusions() -> None:
    expected = ["greet", "greet", "thanks", "thanks", "goodbye"]
    predicted = ["greet", "thanks", "thanks", "thanks", "nlu_fallback"]
    result = score(expected, predicted)
    assert result["examples"] == 5
    assert result["accuracy"] == 0.6
    assert result["per_intent"]["goodbye"]["f1"] == 0.0
    assert result["per_intent"]["greet"]["recall"] == 0.5
    assert set(result["per_intent"]) == {"greet", "thanks", "goodbye"}
    assert {(c["expected"], c["predicted"]) for c in result["confusions"]} == {
        ("greet", "thanks"),
        ("goodbye", "nlu_fallback"),
    }


def test_missing_intent_in_a_parse_is_a_miss() -> None:
    assert predicted_intents([{"intent": {"name": "greet"}}, {}, None]) == ["greet", "", ""]
