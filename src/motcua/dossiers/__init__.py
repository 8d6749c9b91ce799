"""Dossiers (hồ sơ), the lifecycle transition table and its services, selectors, deadlines, the
append-only transition log and dossier codes.
"""
