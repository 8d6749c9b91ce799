"""Statistics from the transition log, rollups, the Decision 766 index and exports."""
