"""The local web interface: ``create_app(index)`` for ASGI servers, ``serve`` for the CLI."""

from search.present.web.app import create_app
from search.present.web.server import serve

__all__ = ["create_app", "serve"]
