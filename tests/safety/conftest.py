"""Fixtures for the crisis safety layer's tests."""

from __future__ import annotations

from typing import Any, Dict

import pytest

from bench.safety import load_corpus
from bot.safety.screen import CrisisScreen, default_screen


@pytest.fixture(scope="session")
def screen() -> CrisisScreen:
    """The process-wide crisis screen (built once for the whole test session)."""
    return default_screen()


@pytest.fixture(scope="session")
def corpus() -> Dict[str, Any]:
    """The labelled corpus in data/safety/corpus.yml."""
    return load_corpus()
