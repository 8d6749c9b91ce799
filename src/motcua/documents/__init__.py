"""Attachments, results, generated official forms (PDF), checksums and scanning."""
