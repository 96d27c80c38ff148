"""SQL behind each page. Every function takes the filters and returns one `Query`; `PAGES` lists them per page
so that `bench/dashboard.py` times exactly what a page runs. The SQL is portable between DuckDB and Postgres."""

from data_stack.dashboards.queries import logistics, marketing, overview, product, shared

PAGES = {
    "overview": overview.QUERIES,
    "marketing": marketing.QUERIES,
    "product": product.QUERIES,
    "logistics": logistics.QUERIES,
}

__all__ = ["PAGES", "logistics", "marketing", "overview", "product", "shared"]
