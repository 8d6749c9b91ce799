"""Administrative procedures (TTHC), versioned: documents, fees, legal time limits, online level,
internal processes with step budgets.
"""
