"""What the Northwind DAGs share: how a task calls one stage of the `data-stack` CLI. Not a DAG file."""
