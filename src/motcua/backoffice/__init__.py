"""The staff web UI for one-stop officers, handlers, leaders and administrators (thin)."""
