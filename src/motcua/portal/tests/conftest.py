"""Fixtures of the portal tests (shared with the dossiers tests of the online flows)."""

from motcua.dossiers.tests.online_data import lan, lan_client, minh, office, tam_tru

__all__ = ["lan", "lan_client", "minh", "office", "tam_tru"]
