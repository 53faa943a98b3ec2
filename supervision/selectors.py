"""Reads of supervision (SUP-1), already scoped by `policies`, with what their pages need;
and the supervision step of the ten steps (CHK step 6)."""

from collections import defaultdict

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from skola_kopiena.collation import latvian

from . import policies
from .models import Signup


def staff_session_list(acting, now=None):
    """The sessions of the acting staff member's regions: the upcoming ones first (soonest
    first), then the past ones (latest first), each with its attendance count."""
    now = now or timezone.now()
    upcoming = Q(ends_at__gt=now)
    # Counted per session in a subquery, for the sessions of the page only: a join with
    # every sign-up ever would group all of them on each page.
    attended = (
        Signup.objects.filter(session=OuterRef("pk"), attended=True)
        .order_by()
        .values("session")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        policies.staff_sessions(acting)
        .select_related("region")
        .annotate(
            is_past=Case(When(upcoming, then=Value(False)), default=Value(True)),
            upcoming_at=Case(When(upcoming, then=F("starts_at"))),
            attended_count=Coalesce(Subquery(attended), 0),
        )
        .order_by("is_past", F("upcoming_at").asc(nulls_last=True), F("starts_at").desc(), "pk")
    )


def mentor_offered_sessions(mentor, groups, now=None):
    """SUP-1: the upcoming sessions of the mentor's region and target groups, soonest first,
    each saying whether the mentor is signed up."""
    mine = policies.own_signups(mentor).filter(session=OuterRef("pk"))
    return (
        policies.upcoming_for_mentor(mentor, groups, now)
        .select_related("region")
        .annotate(is_mine=Exists(mine, output_field=BooleanField()))
        .order_by("starts_at", "pk")
    )


def mentor_signups(mentor):
    """The mentor's own sign-ups, the latest session first, with their attendance."""
    return (
        policies.own_signups(mentor)
        .select_related("session__region")
        .order_by("-session__starts_at", "pk")
    )


def session_signups(session):
    """The mentors signed up for a session, by name the Latvian way."""
    return (
        Signup.objects.filter(session=session, cancelled_at__isnull=True)
        .select_related("mentor", "marked_by")
        .order_by(latvian("mentor__last_name"), latvian("mentor__first_name"), "pk")
    )


def attended_plan_ids(plans):
    """CHK step 6: the ids of `plans` whose mentor attended a supervision session dated
    within the plan's semester (from its start to its latest end, CAL-2). `plans` are
    `iap.Plan` objects with `mentor_id` and `semester` loaded; one query for all of them."""
    plans = list(plans)
    spans = defaultdict(set)  # mentor id -> {(first day, last day)}
    for plan in plans:
        if plan.mentor_id is not None:
            spans[plan.mentor_id].add((plan.semester.start_date, plan.semester.latest_end_date))
    if not spans:
        return set()
    condition = Q()
    for mentor_id, ranges in spans.items():
        for first, last in ranges:
            condition |= Q(mentor_id=mentor_id, session__date__gte=first, session__date__lte=last)
    attended = defaultdict(set)
    rows = (
        Signup.objects.filter(condition, attended=True, cancelled_at__isnull=True)
        .order_by()
        .values_list("mentor_id", "session__date")
        .distinct()
    )
    for mentor_id, day in rows:
        attended[mentor_id].add(day)
    return {
        plan.pk
        for plan in plans
        if plan.mentor_id is not None
        and any(
            plan.semester.start_date <= day <= plan.semester.latest_end_date
            for day in attended[plan.mentor_id]
        )
    }
