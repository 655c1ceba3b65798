"""``python -m bench``: runs the benchmark, writes bench/results/<date>.json, prints markdown.

Each part (NLU, safety, each deployment, training, profile) is measured on its own; a part
that cannot run (no model yet, no PostgreSQL) is reported with the reason, and the rest of
the run goes on.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from bench import (
    client,
    databases,
    nlu_eval,
    progress,
    report,
    safety_eval,
    scenarios,
    starter,
    training,
)
from bench.deployments import MODES, Running, Settings, harbor_model, start
from bench.measure import Budget, measure, profile
from bench.procs import ROOT

RESULTS = ROOT / "bench" / "results"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/1"


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """The command line (see docs/bench.md)."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="short run: fewer requests, 8 s load, no training, modes sqlite,pg2")
    parser.add_argument("--modes", help="comma list of Harbor modes: sqlite,pg1,pg2,pg3 "
                        "(default sqlite,pg1,pg2,pg3; quick: sqlite,pg2)")
    parser.add_argument("--skip-starter", action="store_true", help="no starter bot (no ratios)")
    parser.add_argument("--skip-training", action="store_true", help="no training timings")
    parser.add_argument("--skip-nlu", action="store_true", help="no held-out NLU evaluation")
    parser.add_argument("--skip-safety", action="store_true", help="no safety-layer numbers")
    parser.add_argument("--skip-progress", action="store_true",
                        help="no progress-chart render timing")
    parser.add_argument("--profile", choices=("auto", "always", "never"), default="auto",
                        help="py-spy profile under load: when a target is missed (auto)")
    parser.add_argument("--soak", action="store_true",
                        help="soak instead of the benchmark: --users people for --seconds")
    parser.add_argument("--users", type=int, default=100, help="soak: simulated people")
    parser.add_argument("--seconds", type=float, default=60.0, help="soak: duration")
    parser.add_argument("--socketio-share", type=float, default=0.2,
                        help="soak: share of people on socket.io (0..1)")
    parser.add_argument("--scenario", help='Harbor conversation as "msg|msg|msg"')
    parser.add_argument("--model", type=Path, help="Harbor model (default: newest in models/)")
    parser.add_argument("--postgres-url", default=os.environ.get(
        "HARBOR_BENCH_POSTGRES_URL", os.environ.get("HARBOR_TEST_POSTGRES_URL", DEFAULT_POSTGRES)),
        help="PostgreSQL server; the run creates and drops its own database there")
    parser.add_argument("--redis-url", default=os.environ.get("HARBOR_BENCH_REDIS_URL",
                                                              DEFAULT_REDIS),
                        help="Redis for the lock store (keys get a per-run prefix)")
    parser.add_argument("--action-workers", type=int, default=1,
                        help="Sanic workers of the action server")
    parser.add_argument("--out", type=Path, help="result file (default bench/results/<date>.json)")
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Runs what the arguments ask for; returns the process exit code."""
    args = parse_args(argv)
    os.environ.setdefault("HARBOR_WEB_ORIGIN", "http://127.0.0.1:8080")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # Rasa is imported for reply texts
    budget = Budget.quick() if args.quick else Budget()
    stamp = time.strftime("%Y-%m-%d")
    suffix = "-soak" if args.soak else ("-quick" if args.quick else "")
    out = args.out or RESULTS / f"{stamp}{suffix}.json"
    run_dir = ROOT / "var" / "bench" / f"run-{time.strftime('%Y%m%d-%H%M%S')}"
    settings = Settings(args.postgres_url, args.redis_url, run_dir, args.action_workers)
    result: Dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": machine_info(),
        "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
    }
    model = args.model or harbor_model()
    result["model"] = str(model) if model else None
    conversation = scenarios.split_scenario(args.scenario) if args.scenario else \
        scenarios.HARBOR_CONVERSATION
    result["conversation"] = {"harbor": list(conversation),
                              "starter": list(scenarios.STARTER_CONVERSATION)}
    modes = _modes(args)

    if args.soak:
        result["soak"] = run_soak(args, settings, model, conversation, modes)
        _finish(result, out)
        bad = [n for n, s in result["soak"].items() if "error" in s or not s.get("clean")]
        return 1 if bad else 0

    if not args.skip_safety:
        _step("safety layer")
        result["safety"] = safety_eval.run_safety_bench()

    if not args.skip_progress:
        _step("progress chart")
        try:
            result["progress_chart"] = progress.run_progress_bench()
        except Exception as error:  # noqa: BLE001
            result["progress_chart"] = {"error": _error(error)}

    servers: Dict[str, Any] = {}
    result["servers"] = servers
    profiles: Dict[str, Any] = {}
    result["profiles"] = profiles
    if not args.skip_starter:
        _step("starter bot")
        try:
            result["starter_training"] = starter.ensure_starter()
            servers["starter"] = serve_and_measure(
                "starter", settings, model, scenarios.STARTER_CONVERSATION, budget
            )
        except Exception as error:  # noqa: BLE001
            servers["starter"] = {"error": _error(error)}

    for name in modes:
        _step(f"Harbor ({name})")
        unavailable = _unavailable(MODES[name], settings, model)
        if unavailable:
            servers[name] = {"error": unavailable}
            continue
        want_nlu = not args.skip_nlu and "nlu" not in result
        servers[name] = serve_and_measure(
            name, settings, model, conversation, budget, result if want_nlu else None,
            profiles, args.profile, result,
        )

    if not args.skip_training and not args.quick:
        _step("training (cold, no change, one NLU example)")
        try:
            result["training"] = training.measure()
            result["training"]["repo_check"] = training.repo_no_change()
        except Exception as error:  # noqa: BLE001
            result["training"] = {"skipped": _error(error)}
    else:
        result["training"] = {"skipped": "--quick or --skip-training"}

    _finish(result, out)
    return 0


def serve_and_measure(
    name: str,
    settings: Settings,
    model: Optional[Path],
    conversation: Sequence[str],
    budget: Budget,
    nlu_into: Optional[Dict[str, Any]] = None,
    profiles: Optional[Dict[str, Any]] = None,
    profile_policy: str = "never",
    result: Optional[Dict[str, Any]] = None,
) -> Dict[str, Any]:
    """Starts one deployment, measures it (and the held-out NLU / a profile if asked)."""
    mode = MODES[name]
    try:
        running = start(mode, settings, model)
    except Exception as error:  # noqa: BLE001
        return {"error": _error(error)}
    try:
        if nlu_into is not None:
            nlu_into["nlu"] = evaluate_nlu(running)
        parse_texts = scenarios.PARSE_TEXTS
        data = measure(running, conversation, parse_texts, budget)
        if profiles is not None and result is not None and mode.bot == "harbor":
            result["servers"][name] = data
            missed = report.failed_targets(report.targets(result), name)
            if profile_policy == "always" or (profile_policy == "auto" and missed):
                _step(f"profiling {name} (missed: {'; '.join(missed) or 'none'})")
                profiles[name] = profile(
                    running, conversation, budget.profile_seconds, 8,
                    settings.run_dir / "profiles" / name,
                )
                profiles[name]["missed_targets"] = missed
        return data
    except Exception as error:  # noqa: BLE001
        return {"error": _error(error)}
    finally:
        running.stop()


def evaluate_nlu(running: Running) -> Dict[str, Any]:
    """Held-out accuracy, macro-F1, per-intent F1 and confusions through /model/parse."""
    if not scenarios.HELDOUT.exists():
        return {"error": f"{scenarios.HELDOUT.relative_to(ROOT)} does not exist"}
    examples = scenarios.heldout_examples()
    parses = asyncio.run(client.parse_all(running.rasa.url, [text for text, _ in examples]))
    return nlu_eval.evaluate(parses, examples)


def run_soak(
    args: argparse.Namespace,
    settings: Settings,
    model: Optional[Path],
    conversation: Sequence[str],
    modes: List[str],
) -> Dict[str, Any]:
    """``--users`` people for ``--seconds`` on each mode; then every tracker is checked."""
    outcome: Dict[str, Any] = {}
    for name in modes:
        _step(f"soak on {name}: {args.users} users for {args.seconds:.0f} s")
        unavailable = _unavailable(MODES[name], settings, model)
        if unavailable:
            outcome[name] = {"error": unavailable}
            continue
        try:
            running = start(MODES[name], settings, model)
        except Exception as error:  # noqa: BLE001
            outcome[name] = {"error": _error(error)}
            continue
        try:
            load = asyncio.run(client.concurrent_load(
                running.rasa.url, conversation, args.users, args.seconds, 1_000_000,
                f"soak-{name}", socketio_share=args.socketio_share,
            ))
            data = load.summary()
            data["socketio_users"] = round(args.users * args.socketio_share)
            data["stored"] = asyncio.run(client.verify_trackers(running.rasa.url, load.sent))
            data["clean"] = (
                data["http_5xx"] == 0 and data["http_other_errors"] == 0
                and data["empty_replies"] == 0 and data["degraded_replies"] == 0
                and data["stored"]["problems"] == 0
            )
            data["peak_rss_mb"] = running.rasa.peak_rss_mb()
            outcome[name] = data
        except Exception as error:  # noqa: BLE001
            outcome[name] = {"error": _error(error)}
        finally:
            running.stop()
    return outcome


def _modes(args: argparse.Namespace) -> List[str]:
    default = "sqlite,pg2" if args.quick else "sqlite,pg1,pg2,pg3"
    if args.soak:
        default = "sqlite"
    names = [m.strip() for m in (args.modes or default).split(",") if m.strip()]
    unknown = [m for m in names if m not in MODES or m == "starter"]
    if unknown:
        raise SystemExit(f"unknown mode(s) {unknown}; choose from sqlite, pg1, pg2, pg3")
    return names


def _unavailable(mode, settings: Settings, model: Optional[Path]) -> Optional[str]:
    if mode.bot == "harbor" and model is None:
        return "no trained Harbor model in models/ (make train)"
    if mode.database == "postgres":
        why = databases.postgres_reachable(settings.postgres_url)
        if why:
            return f"PostgreSQL at {settings.postgres_url} unreachable: {why}"
    if mode.redis_locks:
        why = _redis_unreachable(settings.redis_url)
        if why:
            return f"Redis at {settings.redis_url} unreachable: {why}"
    return None


def _redis_unreachable(url: str) -> Optional[str]:
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except Exception as error:  # noqa: BLE001
        return f"{type(error).__name__}: {error}"
    return None


def machine_info() -> Dict[str, Any]:
    """What the numbers were measured on."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                capture_output=True, text=True, timeout=10).stdout.strip()
    except OSError:
        commit = ""
    try:
        from importlib.metadata import version

        rasa_version = version("rasa")
    except Exception:  # noqa: BLE001
        rasa_version = "?"
    return {
        "cpus": os.cpu_count(),
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "rasa": rasa_version,
        "commit": commit,
    }


def _finish(result: Dict[str, Any], out: Path) -> None:
    result["targets"] = report.targets(result)
    result["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, default=str) + "\n")
    markdown = report.render(result)
    out.with_suffix(".md").write_text(markdown)
    print(markdown)
    print(f"Results: {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")


def _step(text: str) -> None:
    print(f"[bench] {time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


def _error(error: BaseException) -> str:
    detail = "".join(traceback.format_exception_only(type(error), error)).strip()
    return detail.splitlines()[-1][:400]
