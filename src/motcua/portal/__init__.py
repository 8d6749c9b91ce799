"""The citizen-facing web UI (thin: parses, calls one service or selector, renders)."""
