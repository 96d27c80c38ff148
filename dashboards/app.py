"""Northwind dashboards: `make dashboard` (or `streamlit run dashboards/app.py`).

Reads only the published warehouse (current.duckdb, read-only) or, with DASHBOARD_BACKEND=postgres, the
Postgres serving layer. The sidebar filters apply to every page; queries are cached per published snapshot.
"""

import streamlit as st

from data_stack.dashboards import ui

st.set_page_config(page_title="Northwind dashboards", page_icon=":material/insights:", layout="wide")

PAGES = {
    "Business": [
        st.Page("views/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("views/marketing.py", title="Marketing", icon=":material/campaign:"),
        st.Page("views/product.py", title="Product", icon=":material/inventory_2:"),
        st.Page("views/logistics.py", title="Logistics", icon=":material/local_shipping:"),
    ],
    "Operations": [
        st.Page("views/quality.py", title="Data quality", icon=":material/verified:"),
        st.Page("views/runs.py", title="Pipeline runs", icon=":material/history:"),
    ],
}

page = st.navigation(PAGES)
ui.sidebar()
page.run()
