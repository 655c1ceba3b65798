"""Exports are delivered, never kept: the export message is stored as a stub.

``action_export_my_data`` sends everything Harbor keeps about a person as one bot message
(``custom.harbor_export``). Rasa would store that message in the conversation like any other,
so each export would hold every earlier one (26 KB, 55 KB, 114 KB, … measured) and a copy of
the person's data would sit in the database, and in backups, beside the data itself. Before
any event is stored, or held in memory during an outage, the export's ``data`` is dropped:
what remains says that a copy was sent, and when.
"""

from __future__ import annotations

from typing import Any, Dict

EXPORT_KEY = "harbor_export"


def is_export(event: Dict[str, Any]) -> bool:
    """Whether a Rasa event (as a dict) is a bot message carrying an export."""
    if event.get("event") != "bot":
        return False
    custom = (event.get("data") or {}).get("custom")
    return isinstance(custom, dict) and EXPORT_KEY in custom


def without_export(event: Dict[str, Any]) -> Dict[str, Any]:
    """``event`` with any export's content replaced by a stub (a new dict; never mutates)."""
    if not is_export(event):
        return event
    export = event["data"]["custom"][EXPORT_KEY]
    filename = export.get("filename") if isinstance(export, dict) else None
    stub = {EXPORT_KEY: {"filename": filename, "delivered": True}}
    return {**event, "data": {**event["data"], "custom": stub}}
