"""`data-stack mock-api`: the local stand-in for the vehicle valuation vendor (docs/vehicle-api.md)."""

from __future__ import annotations

import typer
from pydantic_settings import BaseSettings, SettingsConfigDict

from data_stack.errors import UserError
from data_stack.log import get_logger

log = get_logger(__name__)


class _MockSettings(BaseSettings):
    """MOCK_API_KEY from the environment or `.env`, like every other setting."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", env_ignore_empty=True, extra="ignore")

    mock_api_key: str = "dev-key"


def register(app: typer.Typer) -> None:
    app.command("mock-api")(mock_api)


def mock_api(
    port: int = typer.Option(8765, help="Port to listen on (0 picks a free one)."),
    host: str = typer.Option("127.0.0.1", help="Interface to bind (0.0.0.0 inside a container)."),
    rate_limit: str = typer.Option("10/s", "--rate-limit", help="Token bucket: N/s or N/m; 0 = unlimited."),
    error_rate: float = typer.Option(0.0, "--error-rate", help="Share of requests answered with a 5xx (0..1)."),
    seed: int = typer.Option(42, help="Same seed and request order give the same injected errors."),
) -> None:
    """Serve GET /vmv?license_plate=..&state_code=.. with deterministic valuations (key: env MOCK_API_KEY)."""
    from data_stack.mock_api import MockVendorConfig, make_server, parse_rate

    try:
        rate = parse_rate(rate_limit)
    except ValueError as exc:
        raise UserError(str(exc), "Pass --rate-limit like 10/s") from None
    if not 0 <= error_rate <= 1:
        raise UserError(f"Invalid --error-rate {error_rate}", "Use a share between 0 and 1")
    config = MockVendorConfig(api_key=_MockSettings().mock_api_key, rate_limit=rate, error_rate=error_rate, seed=seed)
    try:
        server = make_server(host, port, config)
    except OSError as exc:
        raise UserError(f"Cannot listen on {host}:{port} ({exc.strerror})", "Pick another --port") from None
    limit = f"{rate:g}/s" if rate else "unlimited"
    log.info(
        "mock vehicle API on %s/vmv (rate limit %s, error rate %g, seed %d); Ctrl-C stops it",
        server.url,
        limit,
        error_rate,
        seed,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        log.info("mock vehicle API stopped")
    finally:
        server.server_close()
