"""The mentor's diary: every rule of an entry and of the month end (DIA, CAP-2, CAP-3)."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from iap.models import MAX_MONTHLY_HOURS, Plan
from iap.services import plan_allows_mentoring
from skola_kopiena.services import field_error, service

from . import tasks
from .models import DiaryEntry, DiaryMonth, academic_hours, month_start, next_month_start

# DIA-9: mentoring is in person only; these words name a remote meeting, not a place.
REMOTE_PLACE = re.compile(
    r"tiešsaist|tiessaist|attālin|attalin|online|on-line|zoom|teams|skype|google meet|"
    r"\bmeet\b|discord|whatsapp|messenger|viber|telegram|video|telefon|e-past|virtuāl|virtual",
    re.IGNORECASE,
)


def meeting_span(date, start_time, end_time):
    """(starts_at, ends_at, hours) of a meeting; an end at 00:00 is midnight (DIA-4)."""
    zone = timezone.get_current_timezone()
    starts_at = datetime.datetime.combine(date, start_time, tzinfo=zone)
    end_date = date + datetime.timedelta(days=1) if end_time == datetime.time(0) else date
    ends_at = datetime.datetime.combine(end_date, end_time, tzinfo=zone)
    minutes = int((ends_at - starts_at).total_seconds() // 60)
    return starts_at, ends_at, academic_hours(minutes), minutes


def hours_in_month(learner, day, exclude=None):
    """CAP-2: planned and held hours of the learner in the calendar month of `day`."""
    first = month_start(day)
    following = next_month_start(first)
    entries = DiaryEntry.objects.filter(plan__learner=learner, date__gte=first, date__lt=following)
    if exclude is not None:
        entries = entries.exclude(pk=exclude.pk)
    return sum(entries.values_list("hours", flat=True))


def _month(plan, day, *, lock=False):
    month, _created = DiaryMonth.objects.get_or_create(plan=plan, month=month_start(day))
    if lock:
        month = DiaryMonth.objects.select_for_update().get(pk=month.pk)
    return month


def _require_plan_month(plan, day):
    """DIA-8: a month is reported only within the plan's period."""
    if not month_start(plan.start_date) <= month_start(day) <= month_start(plan.last_mentoring_day):
        raise ValidationError(
            _("%(month)s is outside the plan's period.") % {"month": date_format(day, "F Y")},
            code="DIA-8",
        )


def _require_open_month(plan, day):
    month = _month(plan, day, lock=True)
    if month.is_locked_for_mentor:
        raise field_error(
            "date",
            _("%(month)s is %(status)s: its entries can no longer be changed.")
            % {"month": date_format(month.month, "F Y"), "status": month.get_status_display()},
            "DIA-7",
        )
    return month


def _check_entry(*, actor, plan, entry, date, start_time, end_time, place, topic, result):
    """Every rule an entry must meet, each reported at its field."""
    if plan.mentor is None or plan.mentor.user_id != actor.pk:
        raise ValidationError(_("Only the plan's mentor keeps its diary."), code="DIA-1")
    problems = {}
    answer = plan_allows_mentoring(plan, date)  # CAL-3, CAL-4, IAP-5, IAP-7
    if not answer:
        problems["date"] = [answer.reason]
    starts_at, ends_at, hours, minutes = meeting_span(date, start_time, end_time)
    if minutes <= 0:
        problems["end_time"] = [_("The end must be after the start.")]
    elif hours < 1:
        # DIA-4: whole academic hours only; under 40 minutes is not an hour.
        problems["end_time"] = [
            _("%(minutes)s minutes is less than one academic hour (40 minutes).")
            % {"minutes": minutes}
        ]
    if REMOTE_PLACE.search(place):
        problems["place"] = [
            _(
                "Mentoring is in person only: name the physical place of the "
                "meeting, for example a park, a library or a café."
            )
        ]
    if not place.strip():
        problems["place"] = [_("Name the place of the meeting.")]
    if not topic.strip():
        problems["topic"] = [_("Write the topic or the intended results.")]
    if result.strip() and starts_at > timezone.now():
        problems["result"] = [_("The result is filled in after the meeting has started.")]
    if problems:
        raise ValidationError(problems)
    # CAP-2: at most 20 hours a month per learner, planned and held together.
    used = hours_in_month(plan.learner, date, exclude=entry)
    if used + hours > MAX_MONTHLY_HOURS:
        raise field_error(
            "end_time",
            _(
                "This meeting is %(hours)s hours, but only %(left)s of the 20 hours "
                "of %(month)s are left for this learner."
            )
            % {"hours": hours, "left": MAX_MONTHLY_HOURS - used, "month": date_format(date, "F")},
            "CAP-2",
        )
    # CAP-3: one learner at a time, across all of the mentor's learners.
    overlapping = DiaryEntry.objects.filter(
        mentor=plan.mentor, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if entry is not None:
        overlapping = overlapping.exclude(pk=entry.pk)
    clash = overlapping.first()
    if clash is not None:
        raise field_error(
            "start_time",
            _(
                "You already have a meeting on %(date)s at %(start)s–%(end)s: "
                "meetings cannot overlap."
            )
            % {
                "date": date_format(clash.date),
                "start": clash.start_time.strftime("%H:%M"),
                "end": clash.end_time.strftime("%H:%M"),
            },
            "CAP-3",
        )
    return starts_at, ends_at, hours


@service
def entry_create(*, actor, plan, date, start_time, end_time, place, topic, result="", comment=""):
    """DIA-2, DIA-3: plan a meeting (and, after it, report it)."""
    plan = Plan.objects.select_related("mentor", "learner__institution", "semester").get(pk=plan.pk)
    _require_open_month(plan, date)
    starts_at, ends_at, hours = _check_entry(
        actor=actor,
        plan=plan,
        entry=None,
        date=date,
        start_time=start_time,
        end_time=end_time,
        place=place,
        topic=topic,
        result=result,
    )
    entry = DiaryEntry(
        plan=plan,
        mentor=plan.mentor,
        date=date,
        start_time=start_time,
        end_time=end_time,
        starts_at=starts_at,
        ends_at=ends_at,
        hours=hours,
        place=place.strip(),
        topic=topic.strip(),
        result=result.strip(),
        comment=comment.strip(),
    )
    entry.full_clean()
    entry.save()
    return entry


@service
def entry_update(*, actor, entry, date, start_time, end_time, place, topic, result="", comment=""):
    """DIA-7: correct, move or report a meeting while its month is open."""
    entry = DiaryEntry.objects.select_for_update().get(pk=entry.pk)
    plan = Plan.objects.select_related("mentor", "learner__institution", "semester").get(
        pk=entry.plan_id
    )
    _require_open_month(plan, entry.date)
    if month_start(date) != month_start(entry.date):
        _require_open_month(plan, date)
    starts_at, ends_at, hours = _check_entry(
        actor=actor,
        plan=plan,
        entry=entry,
        date=date,
        start_time=start_time,
        end_time=end_time,
        place=place,
        topic=topic,
        result=result,
    )
    entry.date, entry.start_time, entry.end_time = date, start_time, end_time
    entry.starts_at, entry.ends_at, entry.hours = starts_at, ends_at, hours
    entry.place, entry.topic = place.strip(), topic.strip()
    entry.result, entry.comment = result.strip(), comment.strip()
    entry.full_clean()
    entry.save()
    return entry


@service
def entry_delete(*, actor, entry):
    """DIA-7: a meeting that did not happen is deleted (nothing is paid for it, DIA-10)."""
    entry = (
        DiaryEntry.objects.select_for_update(of=("self",))
        .select_related("plan__mentor")
        .get(pk=entry.pk)
    )
    if entry.plan.mentor.user_id != actor.pk:
        raise ValidationError(_("Only the plan's mentor keeps its diary."), code="DIA-1")
    _require_open_month(entry.plan, entry.date)
    entry.delete()


def month_problems(plan, month_first_day):
    """DIA-7: why the month cannot be confirmed yet (empty: it can)."""
    now = timezone.now()
    following = next_month_start(month_first_day)
    entries = plan.diary_entries.filter(date__gte=month_first_day, date__lt=following)
    problems = []
    if month_first_day > timezone.localdate():
        problems.append(_("The month has not started yet."))
    for entry in entries:
        if entry.starts_at <= now and not entry.has_result:
            problems.append(
                _(
                    "The meeting of %(date)s at %(start)s has no result: fill it in, or delete "
                    "the meeting if it did not take place."
                )
                % {"date": date_format(entry.date), "start": entry.start_time.strftime("%H:%M")}
            )
        elif entry.starts_at > now:
            problems.append(
                _(
                    "The meeting of %(date)s is still ahead: confirm the month after it, or move "
                    "it to another month."
                )
                % {"date": date_format(entry.date)}
            )
    return problems


@service
def month_upload_scan(*, actor, plan, month, file):
    """TS-3: the scan of the signed timesheet for the month."""
    if plan.mentor is None or plan.mentor.user_id != actor.pk:
        raise ValidationError(_("Only the plan's mentor keeps its diary."), code="DIA-1")
    _require_plan_month(plan, month)
    diary_month = _require_open_month(plan, month)
    diary_month.timesheet_scan = file
    diary_month.save()
    return diary_month


@service
def month_confirm(*, actor, plan, month):
    """DIA-7, DIA-8: the mentor confirms the month; an empty month is reported as zero."""
    if plan.mentor is None or plan.mentor.user_id != actor.pk:
        raise ValidationError(_("Only the plan's mentor keeps its diary."), code="DIA-1")
    _require_plan_month(plan, month)
    diary_month = _require_open_month(plan, month)
    problems = month_problems(plan, diary_month.month)
    hours = sum(
        plan.diary_entries.filter(
            date__gte=diary_month.month, date__lte=diary_month.last_day
        ).values_list("hours", flat=True)
    )
    if hours and not diary_month.timesheet_scan:
        # TS-3: no signatures, no pay.
        problems.append(_("Upload the scan of the signed timesheet first."))
    if problems:
        raise ValidationError(problems, code="DIA-7")
    diary_month.hours = hours
    diary_month.status = DiaryMonth.Status.CONFIRMED
    diary_month.confirmed_at = timezone.now()
    diary_month.save()
    confirmed_at = diary_month.confirmed_at.isoformat()
    transaction.on_commit(lambda: tasks.notify_month_confirmed.delay(diary_month.pk, confirmed_at))
    return diary_month
