"""``python -m bot.web --host 127.0.0.1 --port 8080``: serve the chat page."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from typing import List, Optional

from bot.web.server import make_server
from bot.web.settings import WebSettings


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Command-line options; defaults from ``HARBOR_HOST`` and ``WEB_PORT``."""
    parser = argparse.ArgumentParser(prog="python -m bot.web", description=__doc__)
    parser.add_argument("--host", default=os.environ.get("HARBOR_HOST") or "127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT") or 8080))
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    """Serves until interrupted (Ctrl-C or SIGTERM)."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = WebSettings.from_env()
    if not (settings.root / "vendor" / "socket.io.min.js").is_file():
        print("web/vendor/socket.io.min.js is missing: run `make install` first.", file=sys.stderr)
        return 1
    server = make_server(args.host, args.port, settings)
    # SIGTERM stops the loop like Ctrl-C does; shutdown() must come from another thread.
    signal.signal(
        signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown, daemon=True).start()
    )
    print(f"Harbor chat page: {server.url}/  (Rasa socket: {settings.rasa_url})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
