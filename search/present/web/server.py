"""Running the web app: bind first (so a busy port is one clear error), then serve."""

from __future__ import annotations

import socket
import threading
import webbrowser
from collections.abc import Callable

from search import IndexMissing, SearchError, SearchIndex

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def bind(host: str, port: int) -> socket.socket:
    """A listening socket, or a one-line SearchError that says what to do."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        reason = "is already in use: pick another with --port" if port and exc.errno == 98 else f"cannot be bound ({exc.strerror})"
        raise SearchError(f"{host}:{port} {reason}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(index: SearchIndex, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False,
          announce: Callable[[str], None] = print) -> None:
    """Serve ``index`` until interrupted. Only reads: no endpoint writes to the index."""
    import uvicorn

    from search.present.web.app import create_app

    if not index.exists():
        raise IndexMissing(f"no index at {index.location}: create one with `search index add PATH`")
    sock = bind(host, port)
    port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    announce(f"Serving {index.location} at {url} (Ctrl+C to stop)")
    if host not in LOCAL_HOSTS:
        announce(f"warning: listening on {host}: other machines on the network can read this index")
    if open_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    config = uvicorn.Config(create_app(index), log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])
