import datetime

from skola_kopiena.accounts import permissions

from .models import DiaryEntry, DiaryMonth, month_start

# DIA-6: what the employer's approver may load; place, result and comment never leave the
# database for them.
APPROVAL_FIELDS = ("id", "date", "start_time", "end_time", "hours", "topic")


def month_bounds(first_day):
    return first_day, (first_day + datetime.timedelta(days=32)).replace(day=1)


def month_entries(access, plan, first_day):
    """The month's entries as the access level allows: objects, plain dicts, or none."""
    start, following = month_bounds(first_day)
    entries = DiaryEntry.objects.filter(plan=plan, date__gte=start, date__lt=following).order_by(
        "date", "start_time"
    )
    if access == permissions.DIARY_FULL:
        return list(entries)
    if access == permissions.DIARY_APPROVAL:
        return list(entries.values(*APPROVAL_FIELDS))
    return []


def plan_months(plan):
    """Every month of the plan's period with its stored status (or "open" if untouched)."""
    stored = {m.month: m for m in DiaryMonth.objects.filter(plan=plan)}
    hours = {}
    for date, entry_hours in DiaryEntry.objects.filter(plan=plan).values_list("date", "hours"):
        key = month_start(date)
        hours[key] = hours.get(key, 0) + entry_hours
    months = []
    current = month_start(plan.start_date)
    while current <= plan.last_mentoring_day:
        months.append(
            {
                "month": current,
                "record": stored.get(current),
                "hours": stored[current].hours
                if current in stored and stored[current].status != (DiaryMonth.Status.OPEN)
                else hours.get(current, 0),
            }
        )
        current = (current + datetime.timedelta(days=32)).replace(day=1)
    return months
