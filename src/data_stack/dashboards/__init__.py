"""What the Streamlit app in `dashboards/` reads: the published snapshot, page queries, and the run ledger.

The Streamlit scripts stay thin: SQL, snapshot detection and formatting live here, where the tests and
`bench/dashboard.py` call the very same code.
"""
