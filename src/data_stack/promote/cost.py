"""`data-stack cost`: the monthly cost of an environment for a stated usage, from the price table in the repository.

Prices: aws/cost/prices.yml (date and source of each). Usage: aws/cost/usage-<env>.yml, one line per billed item
(a price name and a monthly quantity in that price's unit); optional parts (MWAA, the DynamoDB run log) are added
with `--with`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import yaml

from data_stack.errors import UserError

BUDGET = Decimal("50")  # what the stack promises for the default (dev) profile


@dataclass(frozen=True)
class Line:
    item: str
    price_name: str
    quantity: float
    unit: str
    unit_price: float
    monthly: float
    source: str


@dataclass(frozen=True)
class Estimate:
    env: str
    recorded: str
    currency: str
    region: str
    lines: list[Line]
    total: float
    budget: float
    optional: list[str]

    @property
    def within_budget(self) -> bool:
        return Decimal(str(self.total)) <= BUDGET

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["within_budget"] = self.within_budget
        return data


def estimate(cost_dir: Path, env: str, with_optional: tuple[str, ...] = ()) -> Estimate:
    prices_doc = _load(cost_dir / "prices.yml")
    usage_file = cost_dir / f"usage-{env}.yml"
    if not usage_file.exists():
        known = sorted(path.stem.removeprefix("usage-") for path in cost_dir.glob("usage-*.yml"))
        raise UserError(f"No usage profile for environment {env!r}", f"Use one of {', '.join(known)}")
    usage = _load(usage_file)
    items = list(usage.get("items") or [])
    optional = usage.get("optional") or {}
    for name in with_optional:
        if name not in optional:
            raise UserError(f"No optional part {name!r} in {usage_file.name}", f"Use {', '.join(sorted(optional))}")
        items += optional[name]
    prices = prices_doc["prices"]
    lines = []
    for entry in items:
        name = entry["price"]
        if name not in prices:
            raise UserError(
                f"{usage_file.name}: {entry['item']!r} uses price {name!r}, not in prices.yml",
                "Add the price (with its source) to aws/cost/prices.yml",
            )
        price = prices[name]
        monthly = _money(Decimal(str(price["price"])) * Decimal(str(entry["quantity"])))
        lines.append(
            Line(
                entry["item"],
                name,
                float(entry["quantity"]),
                price["unit"],
                float(price["price"]),
                float(monthly),
                price["source"],
            )
        )
    total = float(_money(sum((Decimal(str(line.monthly)) for line in lines), Decimal(0))))
    return Estimate(
        env,
        str(prices_doc["recorded"]),
        prices_doc["currency"],
        prices_doc["region"],
        lines,
        total,
        float(BUDGET),
        list(with_optional),
    )


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _load(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        raise UserError(f"{path} is missing", "Restore it from the repository") from None
