"""Beyond the bot: the support directory is sourced, dated and covers the crisis countries."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from bot.content import support_directory
from bot.safety.resources import COUNTRY_CODES

DIRECTORY = support_directory.load()


def test_every_country_of_the_crisis_directory_has_an_entry() -> None:
    assert set(COUNTRY_CODES) <= set(DIRECTORY.countries)


def test_every_entry_names_its_source_date_and_confidence() -> None:
    entries = [*DIRECTORY.everywhere, *(e for es in DIRECTORY.countries.values() for e in es)]
    for entry in entries:
        assert entry.source and entry.contact
        assert entry.last_verified <= dt.date.today()
        assert entry.confidence in {"verified-from-provider", "secondary source"}


def test_an_unverified_entry_is_refused(tmp_path) -> None:
    data = yaml.safe_load(support_directory.DATA_FILE.read_text(encoding="utf-8"))
    data["everywhere"][0]["confidence"] = "could-not-verify"
    path = tmp_path / "directory.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ValueError, match="verified"):
        support_directory.load(str(path))


def test_a_country_list_ends_with_the_peer_group_for_everyone() -> None:
    entries = DIRECTORY.for_country("GB")
    assert "NHS Talking Therapies" in entries[0].text
    assert entries[-1].contact == "coda.org"
    assert DIRECTORY.for_country(None) == DIRECTORY.everywhere
