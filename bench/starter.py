"""Rasa's own starter bot (``rasa init --no-prompt``), trained once and cached under var/bench/.

It is the yardstick: the same Rasa, the same machine, served the same way (HTTP API, REST
channel, its own action server), so Harbor's timings can be read as ratios to it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Dict, Optional

from bench.procs import ROOT, VENV_BIN, quiet_env

STARTER_DIR = ROOT / "var" / "bench" / "starter"
RECORD = STARTER_DIR / "bench-train.json"
ENDPOINTS = "endpoints.bench.yml"


def model_path(folder: Path = STARTER_DIR) -> Optional[Path]:
    """The starter's trained model, if there is one."""
    models = sorted((folder / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def ensure_starter(folder: Path = STARTER_DIR) -> Dict[str, object]:
    """Creates and trains the starter bot unless a trained copy is already cached.

    Returns what is known about its training: the seconds ``rasa init`` took (which
    includes the training) on the run that created it, and whether this run reused it.
    """
    if model_path(folder) is not None and RECORD.exists():
        record = json.loads(RECORD.read_text())
        return {**record, "cached": True}
    if folder.exists():
        shutil.rmtree(folder)  # a half-made copy from an interrupted run
    folder.mkdir(parents=True)
    started = time.monotonic()
    subprocess.run(
        [str(VENV_BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(folder)],
        cwd=folder,
        env=quiet_env(),
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seconds = round(time.monotonic() - started, 1)
    if model_path(folder) is None:
        raise RuntimeError("rasa init finished without a trained model")
    record = {"init_and_train_s": seconds, "created": time.strftime("%Y-%m-%d %H:%M:%S")}
    RECORD.write_text(json.dumps(record))
    return {**record, "cached": False}


def write_endpoints(action_url: str, folder: Path = STARTER_DIR) -> str:
    """The starter's endpoints with its action server wired in; returns the file name.

    Everything else stays stock: in-memory tracker and lock stores, as ``rasa init`` made it.
    """
    (folder / ENDPOINTS).write_text(f'action_endpoint:\n  url: "{action_url}"\n')
    return ENDPOINTS


def write_credentials(folder: Path = STARTER_DIR) -> str:
    """A credentials file with only the stock REST channel; returns the file name."""
    name = "credentials.bench.yml"
    (folder / name).write_text("rest:\n")
    return name
