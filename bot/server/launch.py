"""How each Harbor server starts: the one description ``make``, the bench and the tests use.

``python -m bot.server.launch rasa|actions|web [extra options]`` starts one, with its port
from the environment (``RASA_PORT``, ``ACTIONS_PORT``, ``WEB_PORT``) and the Rasa server's
interface from ``HARBOR_HOST``; ``scripts/serve-*.sh`` call it after ``scripts/env.sh``. The
bench and the tests build the same command line with :func:`command` on ports of their own,
and the same process settings with :func:`environment`.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Dict, List, Mapping, Optional, Sequence


@dataclass(frozen=True)
class ServerSpec:
    """One server: the module that runs it and how it is told where to listen.

    Attributes:
        module: Run with ``python -m``.
        port_variable: The environment variable holding its port (``make`` and the scripts).
        default_port: The port when that variable is unset.
        host_option: The option naming the interface, or None when the server reads it from
            the environment itself (the action server: ``ACTIONS_HOST``, loopback by default).
        host_variable: The environment variable naming the interface for ``make``, or None
            for loopback always.
        health_path: A GET path that answers 200 once the server is ready.
    """

    module: str
    port_variable: str
    default_port: int
    host_option: Optional[str]
    host_variable: Optional[str]
    health_path: str


SERVERS: Dict[str, ServerSpec] = {
    "rasa": ServerSpec(
        "bot.server.rasa_server", "RASA_PORT", 5005, "--interface", "HARBOR_HOST", "/status"
    ),
    "actions": ServerSpec("bot.server.action_server", "ACTIONS_PORT", 5055, None, None, "/health"),
    # The page server is loopback-only under make: a proxy in front of it serves the public.
    "web": ServerSpec("bot.web", "WEB_PORT", 8080, "--host", None, "/"),
}

# Process settings every served Harbor process gets unless the environment says otherwise:
# one TensorFlow thread per process (throughput comes from Sanic workers, docs/deploy.md),
# Rasa's accept queue raised from 100 (a crowd arriving at once), quiet logs, no telemetry.
PROCESS_DEFAULTS: Dict[str, str] = {
    "TF_INTER_OP_PARALLELISM_THREADS": "1",
    "TF_INTRA_OP_PARALLELISM_THREADS": "1",
    "SANIC_BACKLOG": "1024",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "RASA_TELEMETRY_ENABLED": "false",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
}


def command(
    name: str,
    port: int,
    host: str = "127.0.0.1",
    extra: Sequence[str] = (),
    python: str = sys.executable,
) -> List[str]:
    """The command line that starts server ``name`` on ``host``:``port``.

    Args:
        name: ``rasa``, ``actions`` or ``web``.
        port: The TCP port to listen on.
        host: The interface (the action server takes it from ``ACTIONS_HOST`` instead).
        extra: More options for the server (``--model``, ``--endpoints``...).
        python: The interpreter (the virtualenv's).
    """
    spec = SERVERS[name]
    args = [python, "-m", spec.module, "--port", str(port)]
    if spec.host_option is not None:
        args += [spec.host_option, host]
    return [*args, *extra]


def environment(base: Mapping[str, str], **overrides: str) -> Dict[str, str]:
    """``base`` with :data:`PROCESS_DEFAULTS` for what it does not set, then ``overrides``."""
    env = {**PROCESS_DEFAULTS, **base}
    env.update(overrides)
    return env


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Replaces this process with the named server (ports and host from the environment)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in SERVERS:
        print(f"usage: python -m bot.server.launch {'|'.join(SERVERS)} [options]", file=sys.stderr)
        return 2
    spec = SERVERS[argv[0]]
    port = int(os.environ.get(spec.port_variable) or spec.default_port)
    host = (os.environ.get(spec.host_variable) if spec.host_variable else None) or "127.0.0.1"
    args = command(argv[0], port, host, argv[1:])
    os.execve(args[0], args, environment(os.environ))
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
