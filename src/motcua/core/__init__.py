"""Tiny shared kernel: the user model, clock, identifiers, errors, Vietnamese text folding. No
business rules live here.
"""
