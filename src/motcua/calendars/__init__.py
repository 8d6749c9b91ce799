"""Working calendars as data (office hours, weekly rest, Vietnamese holidays incl. lunar ones,
decreed make-up days) and pure working-time arithmetic.
"""
