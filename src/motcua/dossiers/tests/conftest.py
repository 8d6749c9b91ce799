"""Fixtures of the dossiers tests for the online flows (the portal's tests use them too)."""

from motcua.dossiers.tests.online_data import lan, lan_client, minh, office, tam_tru

__all__ = ["lan", "lan_client", "minh", "office", "tam_tru"]
