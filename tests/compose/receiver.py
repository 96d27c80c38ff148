"""A webhook receiver for the stack test, run inside the stack's network: Alertmanager POSTs to /alerts, the test
GETs /alerts (every body received, in order). Standard library only: it runs in the stack's image as is.

usage: python receiver.py PORT
"""

from __future__ import annotations

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RECEIVED: list[dict] = []
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            payload = json.loads(body)
        except ValueError:
            payload = {"unparsed": body.decode(errors="replace")}
        with LOCK:
            RECEIVED.append(payload)
        self.send_response(200)
        self.end_headers()

    def do_GET(self) -> None:
        with LOCK:
            body = json.dumps(RECEIVED).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_) -> None:
        pass


if __name__ == "__main__":
    # 0.0.0.0 inside its container: Alertmanager reaches it by service name; the host port compose publishes is on
    # 127.0.0.1 only.
    ThreadingHTTPServer(("0.0.0.0", int(sys.argv[1])), Handler).serve_forever()
