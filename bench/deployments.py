"""The ways the benchmark serves a bot: Rasa's starter, Harbor on SQLite, Harbor scaled out.

A deployment is a Rasa server plus its own action server on loopback, with the database and
lock store its mode asks for. ``start`` brings it up and times the first answer; ``stop``
takes everything down again, including a database created for the run.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

from bench import databases, starter
from bench.procs import ROOT, Server, action_server, rasa_server


@dataclass(frozen=True)
class Mode:
    """How to serve: which bot, how many Sanic workers, which database and lock store."""

    name: str
    bot: str  # "harbor" or "starter"
    workers: int = 1
    database: str = "sqlite"  # "sqlite", "postgres" or "memory" (the starter's stock store)
    redis_locks: bool = False

    def describe(self) -> str:
        """One line for the report."""
        if self.bot == "starter":
            return "Rasa starter bot (rasa init), stock in-memory stores, 1 worker"
        locks = "Redis locks" if self.redis_locks else "in-memory locks"
        return f"Harbor, {self.workers} Sanic worker(s), {self.database}, {locks}"


MODES: Dict[str, Mode] = {
    "starter": Mode("starter", "starter", database="memory"),
    "sqlite": Mode("sqlite", "harbor"),
    "pg1": Mode("pg1", "harbor", 1, "postgres", True),
    "pg2": Mode("pg2", "harbor", 2, "postgres", True),
    "pg3": Mode("pg3", "harbor", 3, "postgres", True),
}


@dataclass
class Settings:
    """Where the shared services are, and where a run may write."""

    postgres_url: str
    redis_url: str
    run_dir: Path
    action_workers: int = 1


@dataclass
class Running:
    """A started deployment."""

    mode: Mode
    rasa: Server
    actions: Server
    first_answer_s: float
    actions_ready_s: float
    database_url: str
    cleanup: List = field(default_factory=list)

    def stop(self) -> None:
        """Stops both servers and drops what the run created."""
        self.rasa.stop()
        self.actions.stop()
        for undo in reversed(self.cleanup):
            try:
                undo()
            except Exception:  # noqa: BLE001 (best effort; the run's numbers are kept)
                pass


def start(mode: Mode, settings: Settings, harbor_model: Optional[Path]) -> Running:
    """Starts ``mode``'s action server and Rasa server and waits for the first REST answer."""
    if mode.bot == "starter":
        return _start_starter(mode)
    if harbor_model is None:
        raise RuntimeError("no trained Harbor model in models/ (run make train)")
    cleanup: List = []
    if mode.database == "postgres":
        name = databases.unique_name("harbor_bench")
        database_url = databases.create_postgres(settings.postgres_url, name)
        cleanup.append(lambda: databases.drop_postgres(settings.postgres_url, name))
    else:
        database_url = databases.sqlite_url(settings.run_dir)
    error = databases.migrate(database_url)
    if error:
        raise RuntimeError(f"bot.store.migrate failed: {error}")
    env = {"DATABASE_URL": database_url}
    actions = action_server(
        f"{mode.name}-actions",
        env={**env, "ACTION_SERVER_SANIC_WORKERS": str(settings.action_workers)},
    ).start()
    actions_ready = actions.wait_health("/health")
    rasa_env = {**env, "ACTION_ENDPOINT_URL": f"{actions.url}/webhook"}
    if mode.redis_locks:
        rasa_env["LOCK_STORE_URL"] = settings.redis_url
        # Rasa accepts an alphanumeric prefix only (else it silently uses "lock:").
        rasa_env["LOCK_STORE_PREFIX"] = f"bench{uuid.uuid4().hex[:8]}"
    if mode.workers > 1:
        rasa_env["SANIC_WORKERS"] = str(mode.workers)
    rasa = rasa_server(f"{mode.name}-rasa", harbor_model, env=rasa_env).start()
    try:
        first = rasa.wait_first_answer()
    except RuntimeError:
        rasa.stop()
        actions.stop()
        for undo in cleanup:
            undo()
        raise
    return Running(mode, rasa, actions, first, actions_ready, database_url, cleanup)


def _start_starter(mode: Mode) -> Running:
    model = starter.model_path()
    if model is None:
        raise RuntimeError("the starter bot is not trained (bench.starter.ensure_starter)")
    folder = starter.STARTER_DIR
    actions = action_server("starter-actions", cwd=folder, stock=True).start()
    actions_ready = actions.wait_health("/health")
    endpoints = starter.write_endpoints(f"{actions.url}/webhook")
    credentials = starter.write_credentials()
    rasa = rasa_server(
        "starter-rasa", model, cwd=folder, endpoints=endpoints, credentials=credentials, stock=True
    ).start()
    try:
        first = rasa.wait_first_answer()
    except RuntimeError:
        rasa.stop()
        actions.stop()
        raise
    return Running(mode, rasa, actions, first, actions_ready, "memory")


def harbor_model() -> Optional[Path]:
    """The newest trained Harbor model in models/."""
    models = sorted((ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None
