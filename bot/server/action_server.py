"""``python -m bot.server.action_server``: rasa-sdk's action server, for Rasa's calls only.

Stock ``rasa run actions`` binds 0.0.0.0, answers CORS for whatever ``--cors`` names and runs
any action for any ``sender_id`` it is sent, so a page in the person's browser could post
``action_export_my_data`` for someone else. This one:

* listens on loopback unless ``ACTIONS_HOST`` (or rasa-sdk's ``SANIC_HOST``) names another
  interface;
* runs an action only when the request carries the shared secret in the
  ``X-Harbor-Action-Secret`` header, compared in constant time. Rasa sends it from
  ``endpoints.yml`` (``HARBOR_ACTION_SECRET``, or ``var/action-secret`` which both servers
  read); ``GET /health`` stays open and says nothing;
* sends no CORS headers: no browser has any business here.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Any, List, Optional

from bot.security import keys
from bot.security.keys import token_matches

SECRET_HEADER = "X-Harbor-Action-Secret"
OPEN_PATHS = ("/health",)
# Trackers travel in the body; a long conversation is a few hundred KB.
MAX_REQUEST_BYTES = 8 * 1024 * 1024

logger = logging.getLogger(__name__)


def install(app: Any, secret: str) -> None:
    """Refuses every request to ``app`` but ``/health`` that lacks the secret header."""
    from sanic import response

    async def require_secret(request: Any) -> Any:
        if request.path in OPEN_PATHS and request.method in ("GET", "HEAD"):
            return None
        if not token_matches(request.headers.get(SECRET_HEADER), secret):
            return response.json({"error": "forbidden"}, status=403)
        return None

    async def no_cors(request: Any, reply: Any) -> None:
        for name in [h for h in reply.headers if h.lower().startswith("access-control-")]:
            del reply.headers[name]

    app.register_middleware(require_secret, "request")
    app.register_middleware(no_cors, "response")
    app.config.REQUEST_MAX_SIZE = MAX_REQUEST_BYTES


def main(argv: Optional[List[str]] = None) -> int:
    """Starts the action server on ``--port`` with the secret check installed."""
    parser = argparse.ArgumentParser(prog="python -m bot.server.action_server")
    parser.add_argument("--port", type=int, default=int(os.environ.get("ACTIONS_PORT", "5055")))
    parser.add_argument("--actions", default="actions")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)

    from rasa_sdk import utils
    from rasa_sdk.endpoint import create_app

    logging.getLogger("matplotlib").setLevel(logging.WARN)
    utils.configure_colored_logging(os.environ.get("LOG_LEVEL", "INFO"))
    utils.update_sanic_log_level()
    secret = keys.action_secret()
    host = os.environ.get("ACTIONS_HOST") or os.environ.get("SANIC_HOST") or "127.0.0.1"
    app = create_app(args.actions, cors_origins=None)
    install(app, secret)
    logger.info("Action endpoint is up and running on http://%s:%s", host, args.port)
    app.run(host, args.port, workers=utils.number_of_sanic_workers())
    return 0


if __name__ == "__main__":
    sys.exit(main())
