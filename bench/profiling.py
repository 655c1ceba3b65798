"""Where a served Rasa process spends its time under load: py-spy, summarised.

py-spy samples the running server from outside (no code change, ``--nonblocking`` so the
server is never paused) while the benchmark drives load into it. The raw stacks are kept in
var/bench/ and summarised as (a) the share of samples per area of the stack (TensorFlow,
database, spaCy, the action-server call, ...) and (b) the hottest functions by own time.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from bench.procs import VENV_BIN

# Walking a stack from its leaf to its root, the first area that matches gets the sample.
AREAS: Tuple[Tuple[str, str], ...] = (
    # Rasa validates every action-server response against its events schema.
    ("jsonschema (Rasa validating action responses)", r"jsonschema"),
    ("TensorFlow (DIET/TED inference)", r"tensorflow|keras"),
    ("database (SQLAlchemy/driver)", r"sqlalchemy|psycopg2|sqlite3"),
    ("Redis lock store", r"redis/|lock_store"),
    ("spaCy", r"spacy|thinc"),
    ("NumPy/SciPy/sklearn", r"numpy|scipy|sklearn"),
    ("action server call (aiohttp)", r"aiohttp|rasa/core/actions/action\.py"),
    ("JSON / event (de)serialisation", r"json|jsonpickle|rasa/shared/core/events\.py"),
    ("tracker & featurisation (Rasa)", r"rasa/shared/core/trackers\.py|rasa/core/featurizers"),
    ("policies (Rasa)", r"rasa/core/policies"),
    ("NLU components (Rasa)", r"rasa/nlu"),
    ("Harbor code", r"/bot/|/actions/"),
    ("graph & processor (Rasa)", r"rasa/engine|rasa/core/processor|rasa/core/agent"),
    # A leaf in Sanic's serve() is native uvloop/httptools work, or waiting for I/O.
    ("HTTP server / event loop (Sanic, uvloop; includes waiting)", r"sanic"),
    ("asyncio / other", r"."),
)


def py_spy_path() -> Optional[str]:
    """The py-spy binary in the venv (or on PATH), if installed."""
    candidate = VENV_BIN / "py-spy"
    if candidate.exists():
        return str(candidate)
    return shutil.which("py-spy")


def start_recording(pids: List[int], seconds: int, output: Path) -> List[subprocess.Popen]:
    """Starts one py-spy recorder per pid (raw collapsed stacks, ``<output>.<pid>.txt``)."""
    binary = py_spy_path()
    if binary is None:
        raise RuntimeError("py-spy is not installed (pip install -c requirements.lock py-spy)")
    recorders = []
    for pid in pids:
        recorders.append(
            subprocess.Popen(
                [
                    binary, "record", "--pid", str(pid), "--duration", str(seconds),
                    "--rate", "200", "--format", "raw", "--nonblocking",
                    "--output", f"{output}.{pid}.txt",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    return recorders


def finish_recording(recorders: List[subprocess.Popen], timeout: float = 60.0) -> None:
    """Waits for the recorders to write their files."""
    for recorder in recorders:
        try:
            recorder.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            recorder.terminate()


def read_stacks(paths: List[Path]) -> Counter:
    """Collapsed stacks (``frame;frame;... count`` lines) from py-spy raw files."""
    stacks: Counter = Counter()
    for path in paths:
        if not path.exists():
            continue
        for line in path.read_text(errors="replace").splitlines():
            stack, _, count = line.rpartition(" ")
            if stack and count.isdigit():
                stacks[stack] += int(count)
    return stacks


def summarise(stacks: Counter, top: int = 15) -> Dict[str, object]:
    """Share of samples per area and the hottest functions by own (leaf) time."""
    total = sum(stacks.values())
    if not total:
        return {"samples": 0, "areas": [], "hottest": []}
    areas: Counter = Counter()
    leaves: Counter = Counter()
    compiled = [(name, re.compile(pattern)) for name, pattern in AREAS]
    for stack, count in stacks.items():
        frames = stack.split(";")
        leaves[_short(frames[-1])] += count
        areas[_area(frames, compiled)] += count
    return {
        "samples": total,
        "areas": [
            {"area": name, "share": round(100.0 * n / total, 1)}
            for name, n in areas.most_common()
        ],
        "hottest": [
            {"function": name, "share": round(100.0 * n / total, 1)}
            for name, n in leaves.most_common(top)
        ],
    }


def _area(frames: List[str], compiled) -> str:
    for frame in reversed(frames):
        for name, pattern in compiled[:-1]:
            if pattern.search(frame):
                return name
    return compiled[-1][0]


def _short(frame: str) -> str:
    """``func (/long/path/site-packages/pkg/mod.py:12)`` -> ``func (pkg/mod.py:12)``."""
    match = re.match(r"(.*) \((.*)\)$", frame)
    if not match:
        return frame
    function, where = match.groups()
    for marker in ("site-packages/", "/lib/python3", "/work/main/"):
        if marker in where:
            where = where.split(marker, 1)[1]
            break
    return f"{function} ({where})"


def available() -> Optional[str]:
    """None when profiling can run here, else why not."""
    if py_spy_path() is None:
        return "py-spy is not installed"
    if sys.platform != "linux":
        return "py-spy sampling is set up for Linux only here"
    return None
