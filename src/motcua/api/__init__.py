"""The REST API v1 (thin, task-shaped, OpenAPI-documented)."""
