"""The synthetic business's vocabulary, and helpers that turn it into SQL literals (generation stays in DuckDB)."""

from __future__ import annotations

from collections.abc import Sequence

REGIONS = ["Northeast", "Southeast", "Midwest", "Southwest", "West"]
REGION_STATES = [
    ["NY", "MA", "PA", "NJ", "CT"],
    ["FL", "GA", "NC", "VA", "TN"],
    ["IL", "OH", "MI", "MN", "MO"],
    ["TX", "AZ", "NM", "OK", "NV"],
    ["CA", "WA", "OR", "CO", "UT"],
]
REGION_CITIES = [
    ["New York", "Boston", "Philadelphia", "Pittsburgh", "Newark", "Hartford"],
    ["Atlanta", "Miami", "Charlotte", "Nashville", "Orlando", "Richmond"],
    ["Chicago", "Detroit", "Minneapolis", "Columbus", "St. Louis", "Milwaukee"],
    ["Dallas", "Houston", "Phoenix", "Austin", "Albuquerque", "Tulsa"],
    ["Los Angeles", "Seattle", "Portland", "Denver", "San Francisco", "Salt Lake City"],
]

# Categories with their share of demand (sums to 1), cost range in USD, and product nouns (the subcategory).
CATEGORIES = ["Electronics", "Home & Kitchen", "Apparel", "Grocery", "Outdoor", "Toys", "Beauty", "Office"]
CATEGORY_SHARES = [0.18, 0.16, 0.16, 0.12, 0.10, 0.10, 0.10, 0.08]
CATEGORY_COST_RANGES = [(15, 400), (8, 150), (8, 120), (2, 30), (10, 250), (5, 80), (4, 60), (3, 200)]
CATEGORY_NOUNS = [
    ["Headphones", "Charger", "Speaker", "Smartwatch", "Keyboard", "Webcam"],
    ["Kettle", "Blender", "Knife Set", "Cookware Set", "Lamp", "Toaster"],
    ["Jacket", "T-Shirt", "Hoodie", "Sneakers", "Jeans", "Scarf"],
    ["Coffee Beans", "Green Tea", "Olive Oil", "Granola", "Dark Chocolate", "Honey"],
    ["Tent", "Backpack", "Sleeping Bag", "Camp Stove", "Water Bottle", "Headlamp"],
    ["Puzzle", "Building Blocks", "Plush Bear", "RC Car", "Board Game", "Kite"],
    ["Serum", "Moisturizer", "Shampoo", "Lipstick", "Perfume", "Sunscreen"],
    ["Notebook", "Desk Chair", "Pen Set", "Monitor Stand", "Stapler", "Desk Lamp"],
]
CATEGORY_WEIGHT_KG = [(0.1, 3.0), (0.3, 8.0), (0.2, 2.0), (0.2, 2.5), (0.3, 12.0), (0.1, 4.0), (0.05, 0.8), (0.1, 15.0)]
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
    "Aero",
    "Urban",
]
MODEL_SUFFIXES = ["S", "M", "L", "X", "Pro", "Max", "Mini", "Lite", "Plus", "One"]
SUPPLIERS = ["Acme Supply", "Globex", "Initech Goods", "Umbrella Trading", "Stark Wholesale", "Wayne Imports"]
COLORS = ["black", "white", "red", "blue", "green", "grey", "navy", "beige"]
TAGS = ["bestseller", "new", "eco", "gift", "clearance", "limited"]

FIRST_NAMES = [
    "Ada", "Ben", "Carla", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jamal", "Kira", "Luis", "Maya",
    "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe",
    "Amir", "Bea", "Chloe", "Diego", "Emma", "Felix", "Gina", "Hana", "Ivan", "Julia", "Kofi", "Lena", "Marco",
    "Nina", "Omar", "Paula", "Raj", "Sofia", "Tom", "Vera", "Will", "Yara",
]  # fmt: skip
LAST_NAMES = [
    "Anders", "Brooks", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Hughes", "Ivanova", "Johnson", "Kim",
    "Lopez", "Miller", "Nguyen", "Okafor", "Patel", "Quist", "Rossi", "Smith", "Tanaka", "Ueda", "Vargas",
    "Williams", "Xu", "Young", "Zimmer", "Baker", "Cohen", "Dubois", "Ferreira", "Gupta", "Hansen", "Jones",
    "Kowalski", "Larsen", "Moreau", "Novak", "Ortiz", "Park", "Reyes", "Santos", "Taylor", "Wagner", "Yilmaz",
]  # fmt: skip
EMAIL_DOMAINS = ["example.com", "mail.example.org", "inbox.example.net", "post.example.com", "northwind.example"]
STREETS = ["Oak", "Maple", "Cedar", "Pine", "Elm", "Lake", "Hill", "Park", "River", "Sunset", "Main", "Washington"]
STREET_SUFFIXES = ["St", "Ave", "Rd", "Blvd", "Ln", "Dr", "Way"]

CARRIERS = ["FastShip", "NorthPost", "ParcelCo", "GreenCargo"]
# Share of shipments delivered after the promise, per carrier and added per destination region (same order as
# REGIONS): on-time rates land between 85 % and 93 %.
CARRIER_LATE_SHARE = [0.07, 0.10, 0.12, 0.08]
REGION_LATE_SHARE = [0.0, 0.01, 0.0, 0.02, 0.03]

# (make, model, vehicle_type, capacity range in kg)
VEHICLE_MODELS = [
    ("Ford", "Transit", "van", (1200, 1800)),
    ("Ford", "E-Transit", "van", (1000, 1600)),
    ("Mercedes-Benz", "Sprinter", "van", (1300, 2000)),
    ("Ram", "ProMaster", "van", (1200, 1900)),
    ("Rivian", "EDV 700", "van", (1100, 1500)),
    ("Isuzu", "NPR-HD", "box_truck", (3500, 5500)),
    ("Hino", "155", "box_truck", (3000, 5000)),
    ("Urban Arrow", "Cargo XL", "cargo_bike", (100, 200)),
]

CHANNELS = ["web", "mobile", "marketplace"]
# (device type, operating system, browser, relative share of sessions)
DEVICE_PROFILES = [
    ("desktop", "Windows", "Chrome", 20),
    ("desktop", "Windows", "Edge", 8),
    ("desktop", "Windows", "Firefox", 4),
    ("desktop", "macOS", "Safari", 8),
    ("desktop", "macOS", "Chrome", 6),
    ("desktop", "Linux", "Firefox", 1),
    ("mobile", "iOS", "Safari", 22),
    ("mobile", "iOS", "Chrome", 4),
    ("mobile", "Android", "Chrome", 18),
    ("mobile", "Android", "Firefox", 2),
    ("tablet", "iPadOS", "Safari", 6),
    ("tablet", "Android", "Chrome", 3),
]
REFERRERS = [
    "https://www.google.com/",
    "https://www.bing.com/",
    "https://www.instagram.com/",
    "https://newsletter.northwind.example/",
    "https://partner.example.net/deals",
]
# Relative order (and session) volume per hour of the day, UTC.
HOUR_WEIGHTS = [3, 2, 1, 1, 1, 2, 3, 5, 7, 8, 9, 10, 11, 10, 9, 9, 10, 11, 12, 13, 12, 10, 7, 5]
# Relative order volume per ISO weekday, Monday first.
WEEKDAY_FACTORS = [0.96, 0.95, 0.97, 1.0, 1.03, 1.07, 1.02]


def sql_literal(value: object) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, list | tuple):
        return sql_list(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def sql_list(values: Sequence[object]) -> str:
    return "[" + ", ".join(sql_literal(value) for value in values) + "]"


def sql_pick(values: Sequence[object], key: str, salt: str) -> str:
    """SQL choosing one of `values`, uniformly, by a deterministic hash of (key, salt)."""
    return f"{sql_list(values)}[1 + pick({key}, '{salt}', {len(values)})]"


def weighted_slots(weights: Sequence[float], slots: int = 1000) -> list[int]:
    """Indexes 0..n-1 repeated in proportion to `weights`: picking a slot uniformly is a weighted pick."""
    total = sum(weights)
    result: list[int] = []
    cumulative = 0.0
    for index, weight in enumerate(weights):
        cumulative += weight
        result += [index] * (round(cumulative / total * slots) - len(result))
    return result
