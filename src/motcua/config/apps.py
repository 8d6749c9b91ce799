from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConfigConfig(AppConfig):
    """Composition root (see the package docstring)."""

    name = "motcua.config"
    label = "config"
    verbose_name = _("Configuration")

    def ready(self) -> None:
        """Wire the outbox handlers of the higher layers (lower apps never import them)."""
        from motcua.dossiers.services._core import TOPIC as DOSSIER_CHANGED
        from motcua.notifications.services import register_handler
        from motcua.reports.rollups import apply_dossier_change

        # Statistics rollups follow every dossier transition (ADR 0013).
        register_handler(DOSSIER_CHANGED, apply_dossier_change)
        # E-mail to the applicant at each step that matters, and answers to feedback (portal).
        from motcua.notifications import email

        register_handler(DOSSIER_CHANGED, email.send_dossier_email)
        register_handler("feedback.answered", email.send_feedback_answer)
        # Consultations late (T21): a notice to the head of the one-stop office.
        from motcua.dossiers.services.consultation import LATE_TOPIC

        register_handler(LATE_TOPIC, email.send_consultation_late)
