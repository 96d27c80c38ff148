"""`data-stack metrics`: serve /metrics over HTTP (127.0.0.1 by default); each scrape reads the sources anew."""

from __future__ import annotations

import signal
import threading
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import CollectorRegistry, make_wsgi_app

from data_stack.log import get_logger
from data_stack.metrics.collector import StackCollector
from data_stack.settings import Settings

log = get_logger(__name__)


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        log.debug("metrics: " + format, *args)


def make_metrics_server(settings: Settings, host: str, port: int) -> WSGIServer:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(StackCollector(settings))
    return make_server(host, port, make_wsgi_app(registry), handler_class=_QuietHandler)


def serve(settings: Settings, host: str, port: int) -> None:
    """Until SIGINT or SIGTERM (`docker stop`). Requests are served on a thread, so a signal that arrives during a
    scrape is not swallowed by the WSGI handler's error handling."""
    server = make_metrics_server(settings, host, port)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    worker = threading.Thread(target=server.serve_forever, name="metrics-http", daemon=True)
    worker.start()
    log.info("metrics on http://%s:%d/metrics (Ctrl-C stops)", host, server.server_port)
    try:
        stop.wait()
    finally:
        server.shutdown()
        server.server_close()
        log.info("metrics exporter stopped")
