"""py-spy stacks summarised by area and by hottest function."""

from collections import Counter

from bench.profiling import summarise


def test_leaf_decides_the_area() -> None:
    stacks = Counter({
        "run (sanic/app.py:1);predict (rasa/core/policies/ted_policy.py:9);"
        "call (tensorflow/python/eager/function.py:5)": 60,
        "run (sanic/app.py:1);save (bot/store/tracker_store.py:3);"
        "execute (sqlalchemy/engine/base.py:7)": 30,
        "run (sanic/app.py:1);handle (sanic/app.py:2)": 10,
    })
    summary = summarise(stacks)
    areas = {a["area"]: a["share"] for a in summary["areas"]}
    assert areas["TensorFlow (DIET/TED inference)"] == 60.0
    assert areas["database (SQLAlchemy/driver)"] == 30.0
    assert areas["HTTP server / event loop (Sanic, uvloop; includes waiting)"] == 10.0
    assert summary["hottest"][0]["share"] == 60.0


def test_no_samples() -> None:
    assert summarise(Counter())["samples"] == 0
