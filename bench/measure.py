"""Measurements of one running deployment: parse and turn latency, load, memory, profile."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import aiohttp

from bench import client, profiling
from bench.deployments import Running
from bench.stats import summarize_ms


@dataclass(frozen=True)
class Budget:
    """How much to measure: the full run and ``--quick`` differ only here."""

    parse_requests: int = 300
    sequential_conversations: int = 50
    load_seconds: float = 20.0
    load_max_turns: int = 5000
    concurrency: Sequence[int] = (8, 32)
    profile_seconds: int = 15

    @classmethod
    def quick(cls) -> "Budget":
        """A run of a few minutes: enough to see a regression, too short for a report."""
        return cls(parse_requests=60, sequential_conversations=12, load_seconds=8.0,
                   profile_seconds=8)


def measure(
    running: Running, conversation: Sequence[str], parse_texts: Sequence[str], budget: Budget
) -> Dict[str, object]:
    """Every timing of one deployment (the servers are already up)."""
    url = running.rasa.url
    prefix = f"bench-{running.mode.name}"
    result: Dict[str, object] = {
        "mode": running.mode.describe(),
        "first_answer_s": running.first_answer_s,
        "actions_ready_s": running.actions_ready_s,
    }
    # Warm up: the first turns load lazily created things (DB pools, TF graphs).
    asyncio.run(client.sequential_turns(url, conversation, 3, f"{prefix}-warm"))

    parse = asyncio.run(client.sequential_parse(url, parse_texts, budget.parse_requests))
    result["parse_ms"] = summarize_ms(parse)

    sequential = asyncio.run(
        client.sequential_turns(url, conversation, budget.sequential_conversations, prefix)
    )
    result["turn_ms"] = summarize_ms(t.seconds for t in sequential.turns if t.status == 200)
    result["turn_ms_by_step"] = _by_step(sequential.turns, conversation)
    result["sequential"] = sequential.summary()
    result["conversation"] = asyncio.run(inspect_conversation(url, next(iter(sequential.sent))))

    loads = {}
    for senders in budget.concurrency:
        load = asyncio.run(
            client.concurrent_load(
                url, conversation, senders, budget.load_seconds, budget.load_max_turns,
                f"{prefix}-c{senders}",
            )
        )
        summary = load.summary()
        summary["stored"] = asyncio.run(client.verify_trackers(url, load.sent))
        loads[str(senders)] = summary
    result["concurrent"] = loads
    result["peak_rss_mb"] = {
        "rasa": running.rasa.peak_rss_mb(),
        "actions": running.actions.peak_rss_mb(),
    }
    return result


def profile(
    running: Running, conversation: Sequence[str], seconds: int, senders: int, out: Path
) -> Dict[str, object]:
    """py-spy on the Rasa process(es) and the action server under ``senders`` of load."""
    why_not = profiling.available()
    if why_not:
        return {"available": False, "reason": why_not}
    # With several Sanic workers the parent only waits for its children: sample the workers.
    rasa_pids = running.rasa.pids()[1:] or running.rasa.pids()
    action_pids = running.actions.pids()[1:] or running.actions.pids()
    out.parent.mkdir(parents=True, exist_ok=True)
    recorders = profiling.start_recording(rasa_pids, seconds, out.with_suffix(".rasa"))
    recorders += profiling.start_recording(action_pids, seconds, out.with_suffix(".actions"))
    time.sleep(1.0)  # let py-spy attach before the load starts
    load = asyncio.run(
        client.concurrent_load(
            running.rasa.url, conversation, senders, seconds - 1.5, 100_000,
            f"bench-profile-{running.mode.name}",
        )
    )
    profiling.finish_recording(recorders)
    rasa_stacks = profiling.read_stacks(
        [Path(f"{out.with_suffix('.rasa')}.{pid}.txt") for pid in rasa_pids]
    )
    action_stacks = profiling.read_stacks(
        [Path(f"{out.with_suffix('.actions')}.{pid}.txt") for pid in action_pids]
    )
    return {
        "available": True,
        "senders": senders,
        "seconds": seconds,
        "turns_per_s_while_profiled": load.throughput,
        "rasa": profiling.summarise(rasa_stacks),
        "actions": profiling.summarise(action_stacks, top=8),
        "raw_files": str(out.parent),
    }


def _by_step(turns: List[client.Turn], conversation: Sequence[str]) -> Dict[str, object]:
    steps: Dict[str, List[float]] = {text: [] for text in conversation}
    for turn in turns:
        if turn.status == 200 and turn.text in steps:
            steps[turn.text].append(turn.seconds)
    return {text: summarize_ms(values) for text, values in steps.items()}


async def inspect_conversation(base_url: str, conversation_id: str) -> Dict[str, object]:
    """What one benchmark conversation really ran: custom actions, outage lines, slots set.

    Proves the timed turns did the work they claim (custom actions, database writes).
    """
    async with aiohttp.ClientSession() as session:
        async with session.get(
            f"{base_url}/domain", params=client.api_params(), headers={"Accept": "application/json"}
        ) as r:
            domain = await r.json(content_type=None) if r.status == 200 else {}
        tracker = await client.fetch_tracker(session, base_url, conversation_id)
    # Custom actions and forms: both call the action server (a form for validation and
    # its questions), so both count as work beyond Rasa itself.
    custom = (set(domain.get("actions", [])) | set(domain.get("forms", {}))) - {"action_listen"}
    events = tracker.get("events", [])
    ran = [e.get("name") for e in events if e.get("event") == "action"]
    outage = _outage_text()
    return {
        "user_turns": sum(1 for e in events if e.get("event") == "user"),
        "actions_run": [name for name in ran if name != "action_listen"],
        "custom_actions_run": [
            name for name in ran if name in custom and not name.startswith("utter_")
        ],
        "outage_replies": sum(
            1 for e in events if e.get("event") == "bot" and outage and e.get("text") == outage
        ),
        "slots_set": sorted({e.get("name") for e in events if e.get("event") == "slot"}),
    }


def _outage_text() -> Optional[str]:
    try:
        from bot.nlu.outage_guard import outage_text
    except ImportError:
        return None
    return outage_text()
