"""A local stand-in for the vehicle valuation vendor: `GET /vmv?license_plate=..&state_code=..`.

Deterministic valuations, the vendor's `x-rapidapi-key` header, a token-bucket rate limit (429 + Retry-After)
and injected 5xx errors, so the ingestion of the API source can be developed and tested offline.
"""

from __future__ import annotations

from data_stack.mock_api.server import MockVendorConfig, make_server, parse_rate
from data_stack.mock_api.valuations import valuation

__all__ = ["MockVendorConfig", "make_server", "parse_rate", "valuation"]
