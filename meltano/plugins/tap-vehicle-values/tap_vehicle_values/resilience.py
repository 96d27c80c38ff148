"""How the tap treats the vendor: a client-side request rate, waits that honour `Retry-After`, exponential backoff
otherwise, and a circuit breaker that stops the run after N consecutive failed requests."""

from __future__ import annotations

import random
import threading
import time
import typing as t
from email.utils import parsedate_to_datetime

import requests

from tap_vehicle_values.errors import CircuitOpen

MAX_BACKOFF_SECONDS = 60.0


def retry_after_seconds(response: requests.Response | None) -> float | None:
    """`Retry-After` as seconds: delta-seconds or an HTTP date (RFC 9110); None when absent or unreadable."""
    if response is None:
        return None
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def wait_generator(base_seconds: float) -> t.Generator[float, t.Any, None]:
    """A `backoff` wait generator: it is sent each failed attempt's exception. The vendor's `Retry-After` wins;
    otherwise base, 2 * base, 4 * base, ... capped at a minute."""
    exception = yield  # type: ignore[misc]  # primed by backoff with None
    attempt = 0
    while True:
        response = getattr(exception, "response", None)
        retry_after = retry_after_seconds(response)
        wait = retry_after if retry_after is not None else min(MAX_BACKOFF_SECONDS, base_seconds * 2**attempt)
        attempt += 1
        exception = yield wait


def jitter(value: float) -> float:
    """Up to 10% more, never less: a `Retry-After` is a lower bound."""
    return value + random.uniform(0, 0.1 * value)


class CircuitBreaker:
    """Counts consecutive failed requests (5xx, timeouts, connection errors; not 429, which is flow control)."""

    def __init__(self, threshold: int) -> None:
        self.threshold = max(1, threshold)
        self.failures = 0

    def success(self) -> None:
        self.failures = 0

    def failure(self, what: str) -> None:
        self.failures += 1
        if self.failures >= self.threshold:
            raise CircuitOpen(
                f"circuit breaker open after {self.failures} consecutive failed requests to the vehicle API "
                f"(last: {what}). The vendor looks down or unreachable: check VEHICLE_API_URL and run again later"
            )


class Throttle:
    """At most `per_second` requests per second (0 = no limit), spaced evenly."""

    def __init__(self, per_second: float) -> None:
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.next_at = 0.0
        self.lock = threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self.lock:
            now = time.monotonic()
            delay = self.next_at - now
            self.next_at = max(now, self.next_at) + self.interval
        if delay > 0:
            time.sleep(delay)


class ThrottledSession(requests.Session):
    """Every attempt, retries included, passes the throttle first (outside the latency requests measures)."""

    def __init__(self, throttle: Throttle) -> None:
        super().__init__()
        self.throttle = throttle

    def send(self, request: requests.PreparedRequest, **kwargs: t.Any) -> requests.Response:
        self.throttle.wait()
        return super().send(request, **kwargs)
