"""Vocabulary for the synthetic business: SQL list literals so generation stays in DuckDB."""

from __future__ import annotations

REGIONS = ["Northeast", "Southeast", "Midwest", "Southwest", "West"]
REGION_STATES = {
    "Northeast": ["NY", "MA", "PA", "NJ"],
    "Southeast": ["FL", "GA", "NC", "VA"],
    "Midwest": ["IL", "OH", "MI", "MN"],
    "Southwest": ["TX", "AZ", "NM", "OK"],
    "West": ["CA", "WA", "OR", "CO"],
}
CATEGORIES = [
    "Electronics",
    "Home & Kitchen",
    "Outdoor",
    "Toys",
    "Apparel",
    "Beauty",
    "Grocery",
    "Office",
]
SUBCATEGORIES = ["Essentials", "Premium", "Accessories", "Bundles"]
CARRIERS = ["FastShip", "NorthPost", "ParcelCo", "GreenCargo"]
FIRST_NAMES = [
    "Ada",
    "Ben",
    "Carla",
    "Dev",
    "Elena",
    "Farid",
    "Grace",
    "Hiro",
    "Ines",
    "Jamal",
    "Kira",
    "Luis",
    "Maya",
    "Noah",
    "Olga",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tariq",
    "Uma",
    "Victor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoe",
]
LAST_NAMES = [
    "Anders",
    "Brooks",
    "Chen",
    "Diaz",
    "Evans",
    "Fischer",
    "Garcia",
    "Hughes",
    "Ivanova",
    "Johnson",
    "Kim",
    "Lopez",
    "Miller",
    "Nguyen",
    "Okafor",
    "Patel",
    "Quist",
    "Rossi",
    "Smith",
    "Tanaka",
    "Ueda",
    "Vargas",
    "Williams",
    "Xu",
    "Young",
    "Zimmer",
]
EMAIL_DOMAINS = ["example.com", "mail.example.org", "northwind.test", "inbox.example.net"]
STREETS = ["Oak", "Maple", "Cedar", "Pine", "Elm", "Lake", "Hill", "Park", "River", "Sunset"]
STREET_SUFFIXES = ["St", "Ave", "Rd", "Blvd", "Ln"]
CITIES = [
    "Springfield",
    "Riverton",
    "Fairview",
    "Greenville",
    "Franklin",
    "Clinton",
    "Madison",
    "Georgetown",
    "Salem",
    "Bristol",
]
ADJECTIVES = [
    "Classic",
    "Smart",
    "Eco",
    "Ultra",
    "Compact",
    "Deluxe",
    "Rugged",
    "Nova",
    "Prime",
    "Zen",
]
NOUNS = [
    "Lamp",
    "Kettle",
    "Backpack",
    "Speaker",
    "Blender",
    "Jacket",
    "Tent",
    "Notebook",
    "Serum",
    "Puzzle",
    "Drone",
    "Mug",
    "Chair",
    "Bottle",
    "Charger",
]
SUPPLIERS = ["Acme Supply", "Globex", "Initech Goods", "Umbrella Trading", "Stark Wholesale"]
COLORS = ["black", "white", "red", "blue", "green", "grey"]
TAGS = ["bestseller", "new", "eco", "gift", "clearance", "limited"]
MAKES_MODELS = [
    ("Ford", "Transit"),
    ("Mercedes", "Sprinter"),
    ("Ram", "ProMaster"),
    ("Isuzu", "NPR"),
    ("Rivian", "EDV"),
    ("Urban Arrow", "Cargo"),
]
VEHICLE_TYPES = ["van", "van", "van", "box_truck", "box_truck", "cargo_bike"]
REFERRERS = ["google", "newsletter", "instagram", "direct", "partner"]
DEVICES = ["desktop", "mobile", "tablet"]
OSES = ["Windows", "macOS", "iOS", "Android", "Linux"]
BROWSERS = ["Chrome", "Safari", "Firefox", "Edge"]


def sql_list(values: list) -> str:
    items = []
    for value in values:
        if isinstance(value, str):
            items.append("'" + value.replace("'", "''") + "'")
        else:
            items.append(str(value))
    return "[" + ", ".join(items) + "]"


def sql_pick(values: list, key: str, salt: str) -> str:
    """SQL expression choosing one of `values` by a deterministic hash of (key, salt)."""
    return f"{sql_list(values)}[pick({key}, '{salt}', {len(values)}) + 1]"
