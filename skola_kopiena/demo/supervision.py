"""Supervision of `manage.py demo` (SUP-1), through `supervision.services`.

Rīga's demo coordinator (staff@demo.lv) plans two sessions for the target group of the demo
mentor (mentor@demo.lv, Anna Bērziņa): one that took place about two weeks ago, planned and
signed up for before it and marked as attended after it, as it would have happened (the clock
is moved to those days, like `_on_day` in plans.py); and one in about ten days, which she has
signed up for and may still cancel. Each lies at a time free of her diary's meetings (CAP-3).
Laid out around the real date; idempotent: once the coordinator has planned any session of
the region, nothing is added.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from diary.models import DiaryEntry
from mentors.models import Mentor
from skola_kopiena.accounts.models import User
from skola_kopiena.accounts.permissions import acting_for
from supervision import services
from supervision.models import Session
from supervision.policies import mentor_target_groups

T = datetime.time
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
PAST_DAYS_AGO, UPCOMING_IN_DAYS = 12, 10
STARTS = (T(10, 0), T(14, 0), T(17, 0), T(9, 0))
PLACES = {
    "past": "Rīgas Centrālā bibliotēka, Brīvības iela 49/53, 2. stāva semināru telpa",
    "upcoming": "Rīgas Stradiņa universitāte, Dzirciema iela 16, 312. telpa",
}
SUPERVISOR = "Ilze Kalniņa (sertificēta supervizore)"


def _weekday(day, step):
    """`day`, or the nearest weekday from it in the direction of `step` (±1 day)."""
    while day.weekday() >= 5:
        day += step
    return day


def _at(moment):
    """The clock at `moment` (a naive time in Riga), if that is in the past; else unchanged."""
    import contextlib

    import time_machine

    aware = moment.replace(tzinfo=timezone.get_current_timezone())
    if aware >= timezone.now():
        return contextlib.nullcontext()
    return time_machine.travel(aware, tick=True)


def _free_start(mentor, day):
    """The first start of the day whose 3 hours are free of the mentor's meetings (CAP-3)."""
    for start in STARTS:
        starts_at, ends_at = Session.span(day, start)
        if not DiaryEntry.objects.filter(
            mentor=mentor, starts_at__lt=ends_at, ends_at__gt=starts_at
        ).exists():
            return start
    return None


def _group(mentor, day):
    """The demo mentor's target group on `day` (general education where she has it)."""
    with _at(datetime.datetime.combine(day, T(12, 0))):
        groups = mentor_target_groups(mentor)
    general = Session.TargetGroup.GENERAL
    return general if general in groups else sorted(groups)[0]


def _session(staff, mentor, day, place, *, planned_on, signed_up_on):
    start = _free_start(mentor, day)
    if start is None:
        raise ValidationError(f"{date_format(day)}: the demo mentor's day is full", code="SUP-1")
    group = _group(mentor, signed_up_on)
    with _at(datetime.datetime.combine(planned_on, T(11, 0))):
        session = services.session_create(
            actor=staff,
            acting=acting_for(staff),
            date=day,
            start_time=start,
            place=place,
            region=mentor.region,
            target_group=group,
            capacity=15,
            supervisor=SUPERVISOR,
        )
    with _at(datetime.datetime.combine(signed_up_on, T(19, 30))):
        signup = services.signup_create(actor=mentor.user, mentor=mentor, session=session)
    return session, signup


def create_supervision(warn):
    staff = User.objects.filter(email="staff@demo.lv").first()
    mentor = (
        Mentor.objects.filter(user__email="mentor@demo.lv").select_related("user", "region").first()
    )
    if staff is None or mentor is None:
        return
    if Session.objects.filter(region=mentor.region, created_by=staff).exists():
        return  # an earlier run, or planned in the browser since
    today = timezone.localdate()
    past = _weekday(today - PAST_DAYS_AGO * DAY, -DAY)
    upcoming = _weekday(today + UPCOMING_IN_DAYS * DAY, DAY)
    try:
        with transaction.atomic():
            session, signup = _session(
                staff,
                mentor,
                past,
                PLACES["past"],
                planned_on=past - 21 * DAY,
                signed_up_on=past - 6 * DAY,
            )
            # SUP-1: the coordinator marks the attendance in the evening after the session.
            evening = timezone.localtime(session.ends_at).replace(tzinfo=None) + 2 * HOUR
            with _at(evening):
                services.attendance_mark(
                    actor=staff,
                    acting=acting_for(staff),
                    session=session,
                    attended={signup.pk: True},
                )
            _session(
                staff,
                mentor,
                upcoming,
                PLACES["upcoming"],
                planned_on=today - 3 * DAY,
                signed_up_on=today - DAY,
            )
    except ValidationError as error:
        warn(f"Demo supervision skipped: {error}")
