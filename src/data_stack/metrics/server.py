"""`data-stack metrics`: serve /metrics over HTTP (127.0.0.1 by default); each scrape reads the sources anew."""

from __future__ import annotations

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
    server = make_metrics_server(settings, host, port)
    log.info("metrics on http://%s:%d/metrics (Ctrl-C stops)", host, server.server_port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        log.info("metrics exporter stopped")
    finally:
        server.server_close()
