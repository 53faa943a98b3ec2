from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from .models import SentEmail


def email_send_once(*, key, recipient, template, context, region_id=None):
    """Send `emails/<template>.txt` (first line: subject) in Latvian, once per `key`; the
    project staff of `region_id` see in the admin that it went.

    The row is claimed before sending: a second task run for the same event finds it and
    sends nothing. Returns whether this call sent the email.
    """
    with translation.override(settings.LANGUAGE_CODE):
        subject, _, body = render_to_string(f"emails/{template}.txt", context).partition("\n")
    try:
        with transaction.atomic():
            SentEmail.objects.create(
                key=key, recipient=recipient, subject=subject.strip()[:255], region_id=region_id
            )
            send_mail(subject.strip(), body.strip() + "\n", None, [recipient])
    except IntegrityError:
        return False
    return True


def absolute_url(path):
    """Links in emails point at the portal's public address."""
    return settings.PORTAL_URL.rstrip("/") + path
