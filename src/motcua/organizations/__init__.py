"""Agencies tree (province, departments, commune centres, legacy districts), one-stop offices,
official codes, effective dates, restructuring, staff and their roles and scopes.
"""
