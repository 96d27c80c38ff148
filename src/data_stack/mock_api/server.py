"""The mock vendor's HTTP server (stdlib): authentication, rate limit, injected errors, valuations.

Checks run in the vendor's order: unknown path 404, `x-rapidapi-key` 401, missing parameters 400, rate limit 429
(with `Retry-After`), injected 5xx, unknown state 404, else 200 with the valuation. `GET /health` needs no key.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from data_stack.log import get_logger
from data_stack.mock_api.valuations import STATE_CODES, normalize, valuation

log = get_logger(__name__)

DEFAULT_API_KEY = "dev-key"
INJECTED_STATUSES = (500, 502, 503)
PLATE = re.compile(r"^[A-Z0-9 -]{1,12}$")


@dataclass(frozen=True)
class MockVendorConfig:
    api_key: str = DEFAULT_API_KEY
    rate_limit: float = 0.0  # requests per second; 0 = unlimited
    error_rate: float = 0.0  # share of authorised, well-formed, in-limit requests answered with a 5xx
    seed: int = 42


def parse_rate(text: str) -> float:
    """`10/s`, `10` or `600/m` → requests per second (0 = unlimited)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(?:/\s*([sm]))?\s*", text)
    if not match:
        raise ValueError(f"invalid rate limit {text!r}: use N/s (e.g. 10/s) or N/m")
    value = float(match[1])
    return value / 60 if match[2] == "m" else value


class TokenBucket:
    """`rate` tokens per second, bursts up to `max(1, rate)`. Thread-safe."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.capacity = max(1.0, rate)
        self.tokens = self.capacity
        self.updated = time.monotonic()
        self.lock = threading.Lock()

    def take(self) -> float:
        """0 if a token was taken, else the seconds until one is available."""
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
            self.updated = now
            if self.tokens >= 1:
                self.tokens -= 1
                return 0.0
            return (1 - self.tokens) / self.rate


class ErrorInjector:
    """Request n (counted from 1) fails when hash(seed, n) falls under the error rate: the same seed and request
    order give the same failures."""

    def __init__(self, rate: float, seed: int) -> None:
        self.rate = rate
        self.seed = seed
        self.count = 0
        self.lock = threading.Lock()

    def next_status(self) -> int | None:
        with self.lock:
            self.count += 1
            n = self.count
        if self.rate <= 0:
            return None
        digest = hashlib.sha256(f"{self.seed}:{n}".encode()).digest()
        if int.from_bytes(digest[:8], "big") / 2**64 >= self.rate:
            return None
        return INJECTED_STATUSES[digest[8] % len(INJECTED_STATUSES)]


class MockVendorServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], config: MockVendorConfig) -> None:
        super().__init__(address, _Handler)
        self.config = config
        self.bucket = TokenBucket(config.rate_limit) if config.rate_limit > 0 else None
        self.injector = ErrorInjector(config.error_rate, config.seed)
        self.stats: dict[int, int] = {}
        self.stats_lock = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def count(self, status: int) -> None:
        with self.stats_lock:
            self.stats[status] = self.stats.get(status, 0) + 1


def make_server(host: str = "127.0.0.1", port: int = 8765, config: MockVendorConfig | None = None) -> MockVendorServer:
    """A bound server; call `serve_forever()` (port 0 picks a free port, see `.url`)."""
    return MockVendorServer((host, port), config or MockVendorConfig())


class _Handler(BaseHTTPRequestHandler):
    server: MockVendorServer
    server_version = "NorthwindMockVMV/1.0"
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/health":
            self._send(200, {"status": "ok"})
            return
        if url.path != "/vmv":
            self._send(404, {"message": f"no such endpoint: {url.path}"})
            return
        config = self.server.config
        if self.headers.get("x-rapidapi-key") != config.api_key:
            self._send(401, {"message": "invalid or missing x-rapidapi-key"})
            return
        params = {name: values[0] for name, values in parse_qs(url.query).items()}
        plate, state = normalize(params.get("license_plate", ""), params.get("state_code", ""))
        if not plate or not state:
            self._send(400, {"message": "license_plate and state_code are required"})
            return
        if not PLATE.match(plate) or len(state) != 2:
            self._send(400, {"message": "malformed license_plate or state_code"})
            return
        if self.server.bucket is not None:
            wait = self.server.bucket.take()
            if wait > 0:
                retry_after = max(1, math.ceil(wait))
                self._send(429, {"message": "rate limit exceeded"}, {"Retry-After": str(retry_after)})
                return
        injected = self.server.injector.next_status()
        if injected is not None:
            self._send(injected, {"message": "upstream valuation service unavailable"})
            return
        if state not in STATE_CODES:
            self._send(404, {"message": f"unknown state code {state}"})
            return
        self._send(200, valuation(plate, state))

    def _send(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)
        self.server.count(status)

    def log_message(self, format: str, *args: Any) -> None:
        # The request line carries plates; keep it at debug level. Headers (the key) are never logged.
        log.debug("%s %s", self.address_string(), format % args)
