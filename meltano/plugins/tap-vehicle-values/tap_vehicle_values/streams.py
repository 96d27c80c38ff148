"""`vehicles__valuations`: one `GET /vmv?license_plate=..&state_code=..` per fleet vehicle not valued within the TTL.

singer-sdk's RESTStream does the HTTP: authenticator, `validate_response` (what is retried), the `backoff` decorator
with our wait generator (`Retry-After` first) and `backoff_handler`. Around it this stream adds what the SDK has no
hook for across requests: the fleet list from bronze, the cache, the circuit breaker and the audit log.
Answers without a valuation (404 unknown state, 400, ...) go to the `_quarantine` stream with the reason, so every
response received is loaded or quarantined.
"""

from __future__ import annotations

import json
import typing as t
from datetime import UTC, datetime
from functools import cached_property
from http import HTTPStatus
from urllib.parse import urlsplit

import requests
from singer_sdk import Stream
from singer_sdk import typing as th
from singer_sdk.authenticators import APIKeyAuthenticator
from singer_sdk.exceptions import RetriableAPIError
from singer_sdk.streams import RESTStream

from tap_vehicle_values.audit import AuditLog
from tap_vehicle_values.cache import ResponseCache
from tap_vehicle_values.errors import ApiKeyRejected, CircuitOpen, RetryAfterTooLong
from tap_vehicle_values.fleet import Vehicle, fleet_vehicles
from tap_vehicle_values.lake import connect
from tap_vehicle_values.resilience import (
    CircuitBreaker,
    Throttle,
    ThrottledSession,
    jitter,
    retry_after_seconds,
    wait_generator,
)

STREAM = "vehicles__valuations"
QUARANTINE_STREAM = "_quarantine"
SOURCE_LABEL = "vehicle-api:/vmv"  # `_source_file` of quarantined answers
MAX_RETRY_AFTER_SECONDS = 300  # a longer wait (quota exhausted) stops the run instead of stalling it
RETRIED_STATUSES = {HTTPStatus.REQUEST_TIMEOUT, HTTPStatus.TOO_MANY_REQUESTS}
TRANSPORT_ERRORS = (
    ConnectionResetError,
    requests.exceptions.Timeout,
    requests.exceptions.ConnectionError,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)

VALUATION_SCHEMA = th.PropertiesList(
    th.Property("license_plate", th.StringType, required=True, description="Plate as requested (upper case)."),
    th.Property("state_code", th.StringType, required=True, description="Registration state as requested."),
    th.Property("make", th.StringType, description="Make according to the vendor."),
    th.Property("model_year", th.IntegerType, description="Model year according to the vendor."),
    th.Property("valuation_usd", th.NumberType, required=True, description="Market value in USD."),
    th.Property("currency", th.StringType, description="Currency of the valuation."),
    th.Property("valued_at", th.DateTimeType, description="When the vendor valued the vehicle (UTC)."),
    th.Property("source", th.StringType, description="The vendor's data source."),
    th.Property("fetched_at", th.DateTimeType, required=True, description="When the tap received it (UTC)."),
).to_dict()

QUARANTINE_SCHEMA = {
    "type": "object",
    "properties": {
        "_stream": {"type": ["string"]},
        "_source_file": {"type": ["string", "null"]},
        "_row_number": {"type": ["integer", "null"]},
        "_reason": {"type": ["string"]},
        "_raw": {"type": ["string", "null"]},
    },
}


class QuarantineStream(Stream):
    """Answers without a valuation; target-lake writes them to `quarantine/vehicles/valuations/`. Synced first
    (SCHEMA only); the valuation stream writes its records."""

    name = QUARANTINE_STREAM
    schema = QUARANTINE_SCHEMA
    primary_keys: t.ClassVar[list[str]] = []

    def get_records(self, context: dict | None) -> t.Iterable[dict]:
        return []


class ValuationStream(RESTStream):
    name = STREAM
    path = "/vmv"
    primary_keys: t.ClassVar[list[str]] = []  # bronze is append-only; staging keeps the latest per plate + state

    def __init__(self, tap, quarantine: QuarantineStream) -> None:
        super().__init__(tap, schema=VALUATION_SCHEMA)
        self.quarantine = quarantine
        self.breaker = CircuitBreaker(int(self.config["max_consecutive_failures"]))
        self._requests_session = ThrottledSession(Throttle(float(self.config["requests_per_second"])))
        self.vehicle: Vehicle | None = None
        self.attempt = 0
        self.failed_vehicles = 0
        self.audit: AuditLog | None = None
        self.cache: ResponseCache | None = None

    # -- HTTP: where, how, what is retried
    @property
    def url_base(self) -> str:
        return str(self.config["api_url"]).rstrip("/")

    @cached_property
    def authenticator(self) -> APIKeyAuthenticator:
        return APIKeyAuthenticator(key="x-rapidapi-key", value=self.config["api_key"], location="header")

    @property
    def http_headers(self) -> dict:
        return {"Accept": "application/json", "x-rapidapi-host": urlsplit(self.url_base).netloc}

    @property
    def timeout(self) -> int:
        return 30

    def get_new_paginator(self) -> None:
        return None

    def get_url_params(self, context: dict | None, next_page_token: t.Any) -> dict[str, str]:
        assert self.vehicle is not None
        return self.vehicle.context

    def validate_response(self, response: requests.Response) -> None:
        """Every attempt is audited. 401/403 stop the run; 408, 429 and 5xx are retried; any other answer is
        final for this vehicle (parse_response loads or quarantines it)."""
        self.attempt += 1
        status = response.status_code
        retried = status in RETRIED_STATUSES or status >= HTTPStatus.INTERNAL_SERVER_ERROR
        self._audit(status, response.elapsed.total_seconds() * 1000, _outcome(status))
        if status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
            raise ApiKeyRejected(
                f"the vehicle API rejected the key (HTTP {status}). Check VEHICLE_API_KEY (and VEHICLE_API_URL)"
            )
        if retried:
            raise RetriableAPIError(f"HTTP {status} {response.reason} from {self.path}", response)
        self.breaker.success()

    def response_error_message(self, response: requests.Response) -> str:
        return f"HTTP {response.status_code} {response.reason} from {self.path}"  # no body, no headers

    # -- retries: Retry-After first, then exponential; every failure counts for the circuit breaker
    def backoff_wait_generator(self) -> t.Generator[float, None, None]:
        return wait_generator(float(self.config["backoff_base_seconds"]))

    def backoff_max_tries(self) -> int:
        return int(self.config["max_retries"]) + 1

    def backoff_jitter(self, value: float) -> float:
        return jitter(value)

    def backoff_handler(self, details: t.Mapping[str, t.Any]) -> None:
        exc = details.get("exception")
        wait = float(details.get("wait") or 0)
        response = getattr(exc, "response", None)
        if response is None:
            self._audit_transport_error(exc)
        if self.audit and self.audit.entries:
            self.audit.entries[-1]["retry_in_s"] = round(wait, 3)
        if response is not None and response.status_code == HTTPStatus.TOO_MANY_REQUESTS:
            asked = retry_after_seconds(response) or 0
            if asked > MAX_RETRY_AFTER_SECONDS:
                raise RetryAfterTooLong(
                    f"the vehicle API asks to wait {asked:.0f}s before the next request (quota exhausted?). "
                    "Run again later, or raise the plan's quota"
                )
        else:
            self.breaker.failure(_describe(exc))
        self.logger.info(
            "vehicle %s: %s; retrying in %.1fs (attempt %d of %d)",
            self.vehicle.key if self.vehicle else "?",
            _describe(exc),
            wait,
            self.attempt + 1,
            self.backoff_max_tries(),
        )

    # -- records
    def get_records(self, context: dict | None) -> t.Iterable[dict]:
        lake_uri = str(self.config["lake_uri"])
        run_id = str(self.config.get("run_id") or datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"))
        with connect(lake_uri) as conn:
            self.audit = AuditLog(conn, lake_uri, run_id)
            self.cache = ResponseCache(conn, lake_uri, run_id, float(self.config["cache_ttl_hours"]))
            vehicles = fleet_vehicles(conn, lake_uri)
            fresh = self.cache.fresh(_utcnow())
            todo = [vehicle for vehicle in vehicles if (vehicle.license_plate, vehicle.state_code) not in fresh]
            self.logger.info(
                "%d fleet vehicles in bronze: %d valued within the last %gh (cached), %d to request",
                len(vehicles),
                len(vehicles) - len(todo),
                float(self.config["cache_ttl_hours"]),
                len(todo),
            )
            try:
                for vehicle in todo:
                    yield from self._value(vehicle)
            except CircuitOpen:
                if self.audit.entries:  # the request after which the breaker opened (metrics count the trips)
                    self.audit.entries[-1]["circuit_opened"] = True
                raise
            finally:
                self.cache.save(_utcnow())
                audit_path = self.audit.save()
                self.logger.info(
                    "vehicle API: %d requests, %d valuations, %d answers without valuation, %d vehicles failed; "
                    "audit log %s",
                    len(self.audit.entries),
                    self.audit.count("ok"),
                    self.audit.count("no_valuation"),
                    self.failed_vehicles,
                    audit_path or "(no requests)",
                )

    def _value(self, vehicle: Vehicle) -> t.Iterator[dict]:
        self.vehicle, self.attempt = vehicle, 0
        try:
            yield from self.request_records(None)
        except (RetriableAPIError, *TRANSPORT_ERRORS) as exc:
            response = getattr(exc, "response", None)
            if response is None:
                self._audit_transport_error(exc)
            if response is None or response.status_code != HTTPStatus.TOO_MANY_REQUESTS:
                self.breaker.failure(_describe(exc))
            self.failed_vehicles += 1
            self.logger.warning(
                "vehicle %s: no valuation after %d attempts (%s); it is requested again next run",
                vehicle.key,
                self.attempt,
                _describe(exc),
            )

    def parse_response(self, response: requests.Response) -> t.Iterable[dict]:
        assert self.vehicle is not None and self.cache is not None
        vehicle, now = self.vehicle, _utcnow()
        if response.status_code >= HTTPStatus.BAD_REQUEST:
            self.cache.add(vehicle, response.status_code, now)  # a final answer: not asked again within the TTL
            reason = f"vehicle API answered HTTP {response.status_code}"
            message = _vendor_message(response)
            self._quarantine(vehicle, f"{reason}: {message}" if message else reason, response)
            return
        try:
            body = response.json()
            value = float(body["valuation_usd"])
        except (ValueError, KeyError, TypeError):
            self._quarantine(vehicle, "vehicle API answer has no numeric valuation_usd", response)
            return
        self.cache.add(vehicle, response.status_code, now)
        yield {
            "license_plate": vehicle.license_plate,
            "state_code": vehicle.state_code,
            "make": _text(body.get("make")),
            "model_year": _integer(body.get("model_year")),
            "valuation_usd": value,
            "currency": _text(body.get("currency")) or "USD",
            "valued_at": _timestamp(body.get("valued_at")),
            "source": _text(body.get("source")),
            "fetched_at": _iso(now),
        }

    # -- helpers
    def _quarantine(self, vehicle: Vehicle, reason: str, response: requests.Response) -> None:
        if self.audit and self.audit.entries:
            self.audit.entries[-1]["outcome"] = "no_valuation"
        raw = {
            "license_plate": vehicle.license_plate,
            "state_code": vehicle.state_code,
            "http_status": response.status_code,
            "body": response.text[:500],
        }
        self.quarantine._write_record_message(
            {
                "_stream": self.name,
                "_source_file": SOURCE_LABEL,
                "_row_number": None,
                "_reason": reason,
                "_raw": json.dumps(raw),
            }
        )

    def _audit(self, status: int | None, latency_ms: float | None, outcome: str, error: str | None = None) -> None:
        if self.audit is None or self.vehicle is None:
            return
        self.audit.record(
            vehicle_key=self.vehicle.key,
            attempt=self.attempt,
            status=status,
            latency_ms=latency_ms,
            outcome=outcome,
            error=error,
        )

    def _audit_transport_error(self, exc: BaseException | None) -> None:
        self.attempt += 1
        self._audit(None, None, "transport_error", type(exc).__name__ if exc else None)


def _outcome(status: int) -> str:
    if status < HTTPStatus.BAD_REQUEST:
        return "ok"
    if status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
        return "key_rejected"
    if status == HTTPStatus.TOO_MANY_REQUESTS:
        return "rate_limited"
    if status == HTTPStatus.REQUEST_TIMEOUT or status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        return "server_error"
    return "no_valuation"


def _describe(exc: BaseException | None) -> str:
    response = getattr(exc, "response", None)
    if response is not None:
        return f"HTTP {response.status_code}"
    return type(exc).__name__ if exc else "unknown error"


def _vendor_message(response: requests.Response) -> str | None:
    """The `message` of a JSON error body, shortened to one line."""
    try:
        message = response.json().get("message")
    except (ValueError, AttributeError):
        return None
    return " ".join(str(message).split())[:120] if message else None


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _iso(value: datetime) -> str:
    return value.isoformat(timespec="microseconds") + "Z"


def _text(value: t.Any) -> str | None:
    return None if value is None else str(value)


def _integer(value: t.Any) -> int | None:
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return None


def _timestamp(value: t.Any) -> str | None:
    """The vendor's timestamp as UTC ISO-8601, or None if unreadable."""
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return _iso(parsed)
