"""Training time: cold (empty cache), no change, and one NLU example added (warm cache).

Training runs in a temporary copy of config.yml, domain/ and data/, with its own ``.rasa``
cache and output folder, so the repository's models/ and cache are never touched.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Dict, Optional

import yaml

from bench.procs import ROOT, VENV_BIN, quiet_env

TRAIN_TIMEOUT_S = 3600


def _train(folder: Path, force: bool) -> Dict[str, object]:
    args = [
        str(VENV_BIN / "rasa"), "train", "--domain", "domain", "--data", "data",
        "--config", "config.yml", "--out", "models", "--quiet",
    ]
    if force:
        args.append("--force")
    started = time.monotonic()
    result = subprocess.run(
        args,
        cwd=folder,
        env=quiet_env(RASA_CACHE_DIRECTORY=str(folder / ".rasa" / "cache")),
        capture_output=True,
        text=True,
        timeout=TRAIN_TIMEOUT_S,
    )
    seconds = round(time.monotonic() - started, 1)
    if result.returncode != 0:
        return {"seconds": seconds, "ok": False, "error": result.stderr.strip()[-800:]}
    return {"seconds": seconds, "ok": True}


def _add_one_nlu_example(folder: Path) -> Optional[str]:
    """Adds one example to the first intent of the first NLU file; returns that intent."""
    for path in sorted((folder / "data" / "nlu").glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in document.get("nlu", []):
            if block.get("intent") and isinstance(block.get("examples"), str):
                block["examples"] = block["examples"].rstrip("\n") + "\n- bench added example\n"
                path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
                return block["intent"]
    return None


def measure(keep: bool = False) -> Dict[str, object]:
    """Times cold training, a no-change re-run and a one-example NLU change.

    Args:
        keep: leave the temporary project behind (for debugging).
    """
    folder = Path(tempfile.mkdtemp(prefix="harbor-train-"))
    try:
        shutil.copy2(ROOT / "config.yml", folder / "config.yml")
        shutil.copytree(ROOT / "domain", folder / "domain")
        shutil.copytree(ROOT / "data", folder / "data")
        results: Dict[str, object] = {"cold": _train(folder, force=True)}
        results["no_change"] = _train(folder, force=False)
        intent = _add_one_nlu_example(folder)
        if intent:
            results["one_nlu_example"] = {**_train(folder, force=False), "intent": intent}
        return results
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def repo_no_change() -> Dict[str, object]:
    """Times ``scripts/train-if-changed.sh`` when the model is current (its everyday cost)."""
    started = time.monotonic()
    result = subprocess.run(
        ["bash", "scripts/train-if-changed.sh"],
        cwd=ROOT,
        env=quiet_env(),
        capture_output=True,
        text=True,
        timeout=TRAIN_TIMEOUT_S,
    )
    return {
        "seconds": round(time.monotonic() - started, 2),
        "ok": result.returncode == 0,
        "up_to_date": "up to date" in result.stdout,
    }
