"""`data-stack cost`: the monthly cost for a stated usage, priced from aws/cost/prices.yml."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import yaml

from data_stack.promote.cost import estimate

ROOT = Path(__file__).resolve().parents[2]
COST = ROOT / "aws" / "cost"
CLI = str(Path(sys.executable).parent / "data-stack")


def test_the_default_profile_stays_under_50_dollars():
    result = estimate(COST, "dev")
    assert result.total < 50 and result.within_budget
    assert result.total == float(sum(Decimal(str(line.monthly)) for line in result.lines))
    for line in result.lines:
        expected = (Decimal(str(line.unit_price)) * Decimal(str(line.quantity))).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )
        assert Decimal(str(line.monthly)) == expected, line


def test_every_price_has_a_source_and_the_table_a_date():
    prices = yaml.safe_load((COST / "prices.yml").read_text())
    assert isinstance(prices["recorded"], date)
    for name, price in prices["prices"].items():
        assert price["price"] > 0 and price["unit"] and price["source"].startswith("https://"), name
    for usage in COST.glob("usage-*.yml"):
        profile = yaml.safe_load(usage.read_text())
        items = profile["items"] + [i for part in (profile.get("optional") or {}).values() for i in part]
        for item in items:
            assert item["price"] in prices["prices"], (usage.name, item)


def test_optional_parts_add_their_cost():
    base, with_mwaa = estimate(COST, "dev"), estimate(COST, "dev", ("mwaa",))
    assert with_mwaa.total - base.total > 300  # an always-on MWAA environment alone breaks the budget
    assert not with_mwaa.within_budget
    assert estimate(COST, "prod").total > estimate(COST, "stage").total > base.total


def test_the_command_prints_a_table_and_json():
    table = subprocess.run([CLI, "cost"], capture_output=True, text=True, check=True)
    assert "total" in table.stdout and "within the $50/month budget" in table.stdout
    data = json.loads(subprocess.run([CLI, "cost", "--json"], capture_output=True, text=True, check=True).stdout)
    assert data["env"] == "dev" and data["within_budget"] is True
    assert {"item", "quantity", "unit", "unit_price", "monthly", "source"} <= set(data["lines"][0])
    wrong = subprocess.run([CLI, "cost", "--env", "qa"], capture_output=True, text=True)
    assert wrong.returncode == 1 and "No usage profile for environment 'qa'" in wrong.stderr
    assert "Traceback" not in wrong.stderr
