"""SUP-1: the day before a supervision session, each mentor signed up for it is reminded.

`send_reminders` runs every day (its beat entry, skola_kopiena/celery.py) and reminds about
tomorrow's sessions. Each reminder goes once per session and mentor: its key in `SentEmail`
is claimed before it is sent, so a second run of the task sends nothing again. The email
holds the session's date, time, place and supervisor, never anything of the mentor's diary.
"""

import datetime

from django.urls import reverse

from skola_kopiena.notifications.services import absolute_url, email_send_once

from .models import Signup


def send_reminders(today):
    """The reminders of tomorrow's sessions; returns how many emails this run sent."""
    tomorrow = today + datetime.timedelta(days=1)
    signups = (
        Signup.objects.filter(session__date=tomorrow, cancelled_at__isnull=True)
        .select_related("session__region", "mentor")
        .order_by("session__starts_at", "pk")
    )
    sent = 0
    for signup in signups:
        session, mentor = signup.session, signup.mentor
        sent += email_send_once(
            key=f"reminder:supervision:{session.pk}:{mentor.pk}",
            recipient=mentor.email,
            region_id=session.region_id,
            template="supervision_reminder",
            context={
                "session": session,
                "url": absolute_url(reverse("supervision:detail", args=[session.pk])),
            },
        )
    return sent
