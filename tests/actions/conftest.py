"""Fixtures shared by the action tests: Harbor's store in memory, or down."""

import pytest

from tests.fixtures.trackers import down_store, memory_store


@pytest.fixture
def store(monkeypatch):
    """Harbor's store on SQLite in memory for one test."""
    yield from memory_store(monkeypatch)


@pytest.fixture
def broken_store(monkeypatch):
    """Harbor's store pointed at a database that refuses connections."""
    yield from down_store(monkeypatch)
