"""``python -m bot.server.rasa_server``: the Rasa server with Harbor's guard.

What ``scripts/serve-rasa.sh``, the tests and the benchmark start. It is ``rasa run`` (HTTP
API, REST, socket.io, Telegram, same logging and workers) with these differences:

* the API token comes from ``HARBOR_API_TOKEN`` or ``var/api-token`` (created 0600 on first
  start) and is never put on a command line, so ``/proc/<pid>/cmdline`` shows no secret;
* every request passes :class:`bot.server.guard.Guard` first (Host header, token in constant
  time, no ``text/plain`` writes, models only from ``models/``);
* request bodies are bounded and must arrive within a few seconds;
* Rasa's CORS is off: the API serves no browser, and the socket.io channel answers CORS for
  the chat page's origin itself.

Usage: ``python -m bot.server.rasa_server [--model models/x.tar.gz] [--port 5005]
[--interface 127.0.0.1]``; other ``rasa run`` options are passed through.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import Any, List, Optional

from bot.security import keys
from bot.server import charts
from bot.server.guard import Guard, allowed_hosts, is_loopback, model_path_allowed

logger = logging.getLogger(__name__)

MODELS_DIR = Path("models")
# Larger bodies are refused by Sanic before they are read (the REST channel's own bound is
# 1 MB; Telegram's 256 KB, checked after its secret).
MAX_REQUEST_BYTES = 2 * 1024 * 1024
# A request (headers and body) must arrive within this many seconds (slow clients).
REQUEST_TIMEOUT_S = 10


def newest_model(models_dir: Path = MODELS_DIR) -> Optional[Path]:
    """The newest ``*.tar.gz`` in ``models_dir``, if any."""
    found = sorted(models_dir.glob("*.tar.gz"), key=lambda path: path.stat().st_mtime)
    return found[-1] if found else None


def install(app: Any, guard: Guard) -> None:
    """Puts ``guard`` in front of every route of a Sanic ``app`` and bounds its requests."""
    from sanic import response

    async def guard_request(request: Any) -> Any:
        refusal = guard.check(
            request.method,
            request.path,
            request.headers.get("host"),
            request.headers.get("content-type"),
            request.args.get("token"),
            request.body,  # read already, except for streaming routes (then empty)
        )
        if refusal is not None:
            return response.json(
                {"error": refusal.error, "message": refusal.message}, status=refusal.status
            )
        return None

    app.register_middleware(guard_request, "request")
    app.config.REQUEST_MAX_SIZE = MAX_REQUEST_BYTES
    app.config.REQUEST_TIMEOUT = REQUEST_TIMEOUT_S


def parse_args(argv: List[str]) -> tuple[argparse.Namespace, List[str]]:
    """Harbor's options; everything else goes to ``rasa run`` unchanged."""
    parser = argparse.ArgumentParser(prog="python -m bot.server.rasa_server")
    parser.add_argument("--model", default=None)
    parser.add_argument("--port", default=os.environ.get("RASA_PORT", "5005"))
    parser.add_argument("--interface", default=os.environ.get("HARBOR_HOST", "127.0.0.1"))
    parser.add_argument("--credentials", default="credentials.yml")
    parser.add_argument("--endpoints", default="endpoints.yml")
    return parser.parse_known_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    """Checks the settings, then runs Rasa's own ``rasa run`` with the guard installed."""
    args, rest = parse_args(sys.argv[1:] if argv is None else argv)
    if any(option.startswith(("--auth-token", "--cors", "--jwt")) for option in rest):
        print("Set the API token with HARBOR_API_TOKEN (never on a command line).", file=sys.stderr)
        return 2
    if not is_loopback(args.interface):
        for variable, what in (("HARBOR_API_TOKEN", "the HTTP API"), ("HARBOR_REST_TOKEN", "REST")):
            if not os.environ.get(variable, "").strip():
                print(
                    f"Refusing to bind {args.interface} without {variable} ({what} would be "
                    "open beyond this machine; set it from your secret store).",
                    file=sys.stderr,
                )
                return 1
    workers = os.environ.get("SANIC_WORKERS", "").strip()
    if workers.isdigit() and int(workers) > 1 and not os.environ.get("LOCK_STORE_URL"):
        # Each worker would lock conversations only in its own memory: one person's messages
        # could then be handled twice at once and events lost.
        print(
            f"Refusing SANIC_WORKERS={workers} without LOCK_STORE_URL (a Redis lock store; "
            "see docs/deploy.md).",
            file=sys.stderr,
        )
        return 1
    model = Path(args.model) if args.model else newest_model()
    if model is None:
        print("No trained model in models/. Run: make train", file=sys.stderr)
        return 1
    if not model_path_allowed(str(model), MODELS_DIR):
        print(f"Models load only from {MODELS_DIR}/ (got {model}).", file=sys.stderr)
        return 1
    # credentials.yml names it; empty means REST is open, which only loopback allows.
    os.environ.setdefault("HARBOR_REST_TOKEN", "")
    # endpoints.yml sends this to the action server; both servers read the same var/ file.
    os.environ["HARBOR_ACTION_SECRET"] = keys.action_secret()
    guard = Guard(
        token=keys.api_token(),
        allowed_hosts=allowed_hosts([args.interface]),
        models_dir=MODELS_DIR,
    )

    import rasa.__main__
    import rasa.core.run

    configure_app = rasa.core.run.configure_app

    def configure_guarded_app(*positional: Any, **named: Any) -> Any:
        # serve_application passes (input_channels, cors, auth_token, ...) positionally.
        positional = list(positional)
        if len(positional) >= 3:
            positional[1], positional[2] = None, guard.token
        else:
            named.update(cors=None, auth_token=guard.token)
        app = configure_app(*positional, **named)
        install(app, guard)
        charts.install(app)
        return app

    rasa.core.run.configure_app = configure_guarded_app
    sys.argv = [
        "rasa", "run", "--enable-api", "--interface", args.interface, "--port", str(args.port),
        "--model", str(model), "--credentials", args.credentials, "--endpoints", args.endpoints,
        *rest,
    ]  # fmt: skip
    rasa.__main__.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
