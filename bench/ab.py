"""One run of the latency scenario for an A/B comparison of commits, with CPU time per turn.

Wall time on a shared, loaded machine swings by tens of percent from run to run; the CPU
time the servers spend per turn moves much less. Run it in a worktree of each commit (with
that commit's own trained model), interleaved, and compare the medians (docs/bench.md)::

    cd /work/bench-<sha> && .venv/bin/python /path/to/bench/ab.py <label> <out.jsonl>

It uses the checked-out commit's own bench code (``deployments.start``, ``client``), in
the ``sqlite`` mode (``make run``'s set-up): a warm-up, ``AB_SEQ`` sequential conversations
(default 20, 4 turns each), ``AB_LOAD_S`` seconds of 8 concurrent senders (default 10), 60
parses. CPU time is utime + stime from ``/proc`` of the Rasa and action-server processes
(and their children) over each phase, divided by that phase's turns. Ports come from
``AB_PORTS`` (``first-last``, default 7300-7399). One JSON line per run is appended.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List

sys.path.insert(0, os.getcwd())  # the commit under test, not this file's checkout

import bench.procs as procs  # noqa: E402

FIRST, LAST = (int(part) for part in os.environ.get("AB_PORTS", "7300-7399").split("-"))
_next: List[int] = [FIRST]
TICKS = os.sysconf("SC_CLK_TCK")


def _port_in_range() -> int:
    """The next port of the range that nothing listens on."""
    for _ in range(LAST - FIRST + 1):
        port = _next[0]
        _next[0] = FIRST + (port - FIRST + 1) % (LAST - FIRST + 1)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {FIRST}-{LAST}")


procs.free_port = _port_in_range

from bench import client, scenarios  # noqa: E402
from bench.deployments import MODES, Settings, start  # noqa: E402
from bench.stats import summarize_ms  # noqa: E402


def cpu_seconds(server: Any) -> float:
    """utime + stime of a server's processes (the process and its descendants), in seconds."""
    ticks = 0
    for pid in server.pids():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / TICKS


def per_turn(before: Dict[str, float], after: Dict[str, float], turns: int) -> Dict[str, float]:
    """CPU milliseconds per turn of each server between two readings."""
    return {name: round(1000 * (after[name] - before[name]) / max(1, turns), 2) for name in after}


def run(label: str) -> Dict[str, Any]:
    """Starts the deployment, measures, stops it; returns the row."""
    conversations = int(os.environ.get("AB_SEQ", "20"))
    load_seconds = float(os.environ.get("AB_LOAD_S", "10"))
    model = max(Path("models").glob("*.tar.gz"), key=lambda path: path.stat().st_mtime)
    settings = Settings(
        "postgresql://postgres@127.0.0.1:5432/postgres",
        "redis://127.0.0.1:6379/9",
        Path(tempfile.mkdtemp(prefix="ab-")),
    )
    conversation = scenarios.HARBOR_CONVERSATION
    load_at_start = os.getloadavg()[0]
    running = start(MODES["sqlite"], settings, model)
    url = running.rasa.url

    def cpu() -> Dict[str, float]:
        return {"rasa": cpu_seconds(running.rasa), "actions": cpu_seconds(running.actions)}

    try:
        asyncio.run(client.sequential_turns(url, conversation, 3, f"ab-{label}-warm"))
        before = cpu()
        sequential = asyncio.run(
            client.sequential_turns(url, conversation, conversations, f"ab-{label}")
        )
        middle = cpu()
        load = asyncio.run(
            client.concurrent_load(url, conversation, 8, load_seconds, 5000, f"ab-{label}-c8")
        )
        after = cpu()
        parse = asyncio.run(client.sequential_parse(url, scenarios.PARSE_TEXTS, 60))
    finally:
        running.stop()
    answered = [turn for turn in sequential.turns if turn.status == 200]
    summary = load.summary()
    return {
        "label": label,
        "commit": os.popen("git rev-parse --short HEAD").read().strip(),
        "when": time.strftime("%H:%M:%S", time.gmtime()),
        "load1_start": round(load_at_start, 2),
        "load1_end": round(os.getloadavg()[0], 2),
        "seq_turns": len(sequential.turns),
        "seq_ok": len(answered),
        "turn_ms": summarize_ms(turn.seconds for turn in answered),
        "seq_cpu_ms_per_turn": per_turn(before, middle, len(sequential.turns)),
        "c8_turns": summary["turns"],
        "c8_turns_per_s": summary["turns_per_s"],
        "c8_latency_ms": summary["latency_ms"],
        "c8_5xx": summary["http_5xx"],
        "c8_cpu_ms_per_turn": per_turn(middle, after, int(summary["turns"])),
        "parse_ms": summarize_ms(parse),
    }


if __name__ == "__main__":
    row = run(sys.argv[1])
    with open(sys.argv[2], "a", encoding="utf8") as handle:
        handle.write(json.dumps(row) + "\n")
    print(json.dumps(row))
