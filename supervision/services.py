"""Writes of supervision (SUP-1): sessions, sign-ups and attendance.

The sign-up count of a session changes only here, under `select_for_update()` of the
session's row; the database's check `signed_up <= capacity` then keeps every session within
its places, also when two mentors take its last place at once.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from diary.models import DiaryEntry
from diary.services import REMOTE_PLACE
from skola_kopiena.schools.calendar import PROJECT_LAST_DAY
from skola_kopiena.services import refused_by_constraint, service

from . import policies
from .models import MAX_CAPACITY, Session, Signup

RULE = "SUP-1"
CAPACITY_CONSTRAINT = "supervision_session_not_over_capacity"
SIGNUP_CONSTRAINT = "supervision_signup_once"


def _time(moment):
    return timezone.localtime(moment).strftime("%H:%M")


@service
def session_create(
    *, actor, acting, date, start_time, place, region, target_group, capacity, supervisor
):
    """SUP-1: project staff of the region (national staff, administrators: any region) plan a
    3-hour in-person session for one target group."""
    problems = {}

    def refuse(field, message, code=RULE):
        problems.setdefault(field, []).append(ValidationError(message, code=code))

    if region is None or not policies.session_regions(acting).filter(pk=region.pk).exists():
        refuse("region", _("You plan supervision sessions of your own region only."))
    starts_at = ends_at = None
    past = _("The session's date and start are in the past: choose a later one.")
    if date is not None and date < timezone.localdate():
        refuse("date", past)
    elif date is not None and date > PROJECT_LAST_DAY:
        refuse(
            "date",
            _("The project ends on %(date)s.") % {"date": date_format(PROJECT_LAST_DAY)},
            "CAL-1",
        )
    elif date is not None and start_time is not None:
        starts_at, ends_at = Session.span(date, start_time)
        if starts_at <= timezone.now():
            refuse("date", past)
    place = (place or "").strip()
    if not place:
        refuse("place", _("Name the place of the session."))
    elif REMOTE_PLACE.search(place):
        # SUP-1, as DIA-9 for meetings: supervision is in person ("klātienē").
        refuse(
            "place",
            _(
                "Supervision is in person only: name the physical place of the session, "
                "for example a room and its address."
            ),
        )
    if capacity is None or not 1 <= capacity <= MAX_CAPACITY:
        refuse(
            "capacity",
            _("A session has from 1 to %(max)s places.") % {"max": MAX_CAPACITY},
        )
    supervisor = (supervisor or "").strip()
    if not supervisor:
        refuse("supervisor", _("Name the supervisor who leads the session."))
    if problems:
        raise ValidationError(problems)
    session = Session(
        date=date,
        start_time=start_time,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        region=region,
        target_group=target_group,
        capacity=capacity,
        supervisor=supervisor,
        created_by=actor,
    )
    session.full_clean()
    session.save()
    return session


def _lock(session):
    return Session.objects.select_for_update().select_related("region").get(pk=session.pk)


def _refuse(message, code=RULE):
    return ValidationError(message, code=code)


def _full_refusal(session):
    return _refuse(
        _("The session is full: all %(places)s places are taken.") % {"places": session.capacity}
    )


def _already_refusal():
    return _refuse(_("You are already signed up for this session."))


def _require_before_the_day(session, message):
    # SUP-1 (**Choice**): sign-ups and cancellations close at the end of the day before, so
    # that the supervisor knows the group; from the session's day on, they are refused.
    if not session.signup_open:
        raise _refuse(message % {"date": date_format(session.date)})


def _diary_clash(mentor, session):
    return (
        DiaryEntry.objects.filter(
            mentor=mentor, starts_at__lt=session.ends_at, ends_at__gt=session.starts_at
        )
        .order_by("starts_at")
        .first()
    )


def _session_clash(mentor, session):
    return (
        Session.objects.filter(
            signups__mentor=mentor,
            signups__cancelled_at__isnull=True,
            starts_at__lt=session.ends_at,
            ends_at__gt=session.starts_at,
        )
        .exclude(pk=session.pk)
        .order_by("starts_at")
        .first()
    )


@service
def signup_create(*, actor, mentor, session):
    """SUP-1: a mentor signs up for a session of their region and target group, until the
    day before it, while places are free; never over a meeting of their diary (CAP-3)."""
    if mentor.user_id is None or mentor.user_id != actor.pk:
        raise _refuse(_("Only the mentor signs up for supervision."))
    session = _lock(session)
    if session.region_id != mentor.region_id:
        raise _refuse(_("You sign up for the supervision sessions of your own region."))
    if session.target_group not in policies.mentor_target_groups(mentor):
        raise _refuse(
            _(
                "This session is for %(group)s: each target group has its own supervision "
                "group, and your learners are in another one."
            )
            % {"group": session.get_target_group_display()}
        )
    if session.starts_at <= timezone.now():
        raise _refuse(_("This session has already taken place."))
    _require_before_the_day(
        session,
        _("Sign-ups for this session closed at the end of the day before it (%(date)s)."),
    )
    if policies.own_signups(mentor).filter(session=session).exists():
        raise _already_refusal()
    if session.is_full:
        raise _full_refusal(session)
    meeting = _diary_clash(mentor, session)
    if meeting is not None:
        # CAP-3: a mentor is with one person, or one group, at a time.
        raise _refuse(
            _(
                "The session overlaps your meeting of %(date)s at %(start)s–%(end)s in your "
                "diary: move the meeting first, or choose another session."
            )
            % {
                "date": date_format(meeting.date),
                "start": _time(meeting.starts_at),
                "end": _time(meeting.ends_at),
            },
            "CAP-3",
        )
    other = _session_clash(mentor, session)
    if other is not None:
        raise _refuse(
            _("You are signed up for another session at that time: %(date)s at %(start)s.")
            % {"date": date_format(other.date), "start": _time(other.starts_at)}
        )
    signup = Signup(session=session, mentor=mentor, signed_up_at=timezone.now())
    with refused_by_constraint(SIGNUP_CONSTRAINT, _already_refusal):
        signup.save()
    session.signed_up += 1
    with refused_by_constraint(CAPACITY_CONSTRAINT, lambda: _full_refusal(session)):
        session.save()
    return signup


@service
def signup_cancel(*, actor, mentor, session):
    """SUP-1: the mentor cancels their sign-up, until the day before the session; the place
    is free for another mentor."""
    if mentor.user_id is None or mentor.user_id != actor.pk:
        raise _refuse(_("Only the mentor cancels their sign-up."))
    session = _lock(session)
    signup = (
        Signup.objects.select_for_update()
        .filter(session=session, mentor=mentor, cancelled_at__isnull=True)
        .first()
    )
    if signup is None:
        raise _refuse(_("You are not signed up for this session."))
    _require_before_the_day(
        session,
        _(
            "A sign-up is cancelled until the day before the session (%(date)s); now tell "
            "your regional coordinator that you cannot come."
        ),
    )
    signup.cancelled_at = timezone.now()
    signup.save()
    session.signed_up -= 1
    session.save()
    return signup


@service
def attendance_mark(*, actor, acting, session, attended):
    """SUP-1: project staff of the session's region keep the attendance, from the session's
    start on. `attended` maps sign-up ids to True (attended) or False (did not); a mark may
    be corrected later, and each change is kept in the sign-up's history."""
    session = _lock(session)
    if not policies.may_run_session(acting, session):
        raise _refuse(_("The attendance is kept by the project staff of the session's region."))
    if not session.has_started:
        raise _refuse(
            _("The attendance is marked from the session's start on: %(date)s at %(start)s.")
            % {"date": date_format(session.date), "start": _time(session.starts_at)}
        )
    signups = {
        signup.pk: signup
        for signup in Signup.objects.select_for_update().filter(
            session=session, cancelled_at__isnull=True
        )
    }
    unknown = set(attended) - set(signups)
    if unknown:
        raise _refuse(_("Only the mentors signed up for this session are marked."))
    now = timezone.now()
    changed = []
    for pk, value in attended.items():
        signup = signups[pk]
        if value is None or signup.attended == value:
            continue
        signup.attended = bool(value)
        signup.marked_by = actor
        signup.marked_at = now
        signup.save()
        changed.append(signup)
    return changed
