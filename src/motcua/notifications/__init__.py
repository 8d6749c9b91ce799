"""The transactional outbox, message templates and delivery attempts (e-mail, SMS, Zalo)."""
