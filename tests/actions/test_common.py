"""Shared helpers of the flow actions."""

from __future__ import annotations

from actions import common


def test_payloads():
    assert common.payload("stop") == "/stop"
    assert common.payload("choose_option", option="vault") == '/choose_option{"option": "vault"}'


def test_spoken_delay():
    assert common.spoken_delay(600) == "in 10 minutes"
    assert common.spoken_delay(60) == "in about a minute"
    assert common.spoken_delay(3) == "in a few moments"


def test_delays_come_from_the_environment(monkeypatch):
    monkeypatch.delenv("HARBOR_CHECKIN_SECONDS", raising=False)
    assert common.checkin_seconds() == 600
    monkeypatch.setenv("HARBOR_CHECKIN_SECONDS", "2")
    assert common.checkin_seconds() == 2
    monkeypatch.setenv("HARBOR_CHECKIN_SECONDS", "soon")
    assert common.checkin_seconds() == 600
    monkeypatch.setenv("HARBOR_CHECKIN_SECONDS", "-5")
    assert common.checkin_seconds() == 600
    monkeypatch.setenv("HARBOR_VAULT_REVISIT_HOURS", "0.5")
    assert common.vault_hours() == 0.5


def test_days():
    assert common.days(1) == "1 day"
    assert common.days(0) == "0 days"
