from django.db import models
from django.utils.translation import gettext_lazy as _


class SentEmail(models.Model):
    """An email the portal sent, keyed by its event, so that no event is mailed twice."""

    key = models.CharField(_("event"), max_length=120, unique=True)
    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=255)
    # Whose coordinators see that it went (empty: the national team only).
    region = models.ForeignKey(
        "schools.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
        db_index=False,  # sentemail_region_sent_at below serves its lookups
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("sent email")
        verbose_name_plural = _("sent emails")
        ordering = ["-sent_at"]
        # The administration's list, newest first: the country's, and a region's.
        indexes = [
            models.Index(fields=["sent_at", "id"], name="sentemail_sent_at"),
            models.Index(fields=["region", "sent_at"], name="sentemail_region_sent_at"),
        ]

    def __str__(self):
        return f"{self.key} → {self.recipient}"
