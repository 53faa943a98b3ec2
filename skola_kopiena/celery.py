import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skola_kopiena.settings.dev")

app = Celery("skola_kopiena")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The one beat schedule of the portal. Periodic tasks run daily and decide inside whether
# today is the day (month-end reminders, payroll), in Europe/Riga time. Later issues add
# their entries here, each with a comment saying when and why.
app.conf.beat_schedule = {
    # DIA-3, DIA-7, APR-2: every morning before the working day (CELERY_TIMEZONE is
    # Europe/Riga); the task sends only the reminders whose working day is today, once each.
    "month-end-reminders": {
        "task": "payroll.tasks.send_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    # EVA-1: each morning, mentors whose evaluation opened three working days ago and is
    # still not submitted are reminded once.
    "evaluation-reminders": {
        "task": "evaluation.tasks.send_reminders",
        "schedule": crontab(hour=7, minute=40),
    },
    # SUP-1: every afternoon, the mentors signed up for tomorrow's supervision sessions are
    # reminded once each; late in the day before, so that the day's own sign-ups (open
    # until its end) are reminded too.
    "supervision-reminders": {
        "task": "supervision.tasks.send_reminders",
        "schedule": crontab(hour=17, minute=0),
    },
}
