import datetime
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from mentors import policies as mentors_policies
from mentors.models import Contract
from mentors.selectors import mentors_with_load
from skola_kopiena.collation import latvian
from skola_kopiena.schools.models import Municipality, Semester

from . import policies
from .models import (
    RAN_STATUSES,
    AuditGrant,
    Invitation,
    Learner,
    Plan,
    PlanRisk,
    last_mentoring_day,
    running_in,
)
from .policies import PLAN_FILES


def plan_list(
    acting,
    *,
    status=None,
    semester_ids=None,
    module=None,
    category=None,
    risk=None,
    region=None,
    municipality=None,
    mentoring_ran=False,
    without_mentor=False,
    month=None,
):
    """The plans the acting role may read, in `semester_ids` (None: of every semester), and
    with the other filters of the list (`forms.PlanFilterForm`) that are given."""
    plans = (
        policies.plans_for(acting)
        .select_related("learner__institution", "semester__school_year", "mentor")
        .annotate(
            waiting_for_mentor=Exists(
                Invitation.objects.filter(plan=OuterRef("pk"), status=Invitation.Status.PENDING)
            )
        )
        .order_by(
            "-semester__start_date",
            latvian("learner__last_name"),
            latvian("learner__first_name"),
            "pk",
        )
    )
    if status:
        plans = plans.filter(status=status)
    if module:
        plans = plans.filter(module=module)
    if category:
        plans = plans.filter(category=category)
    if risk:
        plans = plans.filter(Exists(PlanRisk.objects.filter(plan=OuterRef("pk"), risk=risk)))
    if region:
        plans = plans.filter(institution__municipality__region=region)
    if municipality:
        plans = plans.filter(institution__municipality=municipality)
    if mentoring_ran:
        plans = plans.filter(status__in=RAN_STATUSES)
    if month:
        plans = plans.alias(last_day=last_mentoring_day()).filter(running_in(month))
    if without_mentor:
        plans = plans.filter(mentor__isnull=True, status=Plan.Status.DRAFT)
    if semester_ids is not None:
        plans = plans.filter(semester_id__in=semester_ids)
    return plans


def audit_grants_of(acting):
    """The plans granted to the acting auditor for an on-the-spot check, still in force."""
    if not acting.is_auditor:
        return AuditGrant.objects.none()
    return (
        AuditGrant.objects.filter(user=acting.user, until__gte=timezone.localdate())
        .select_related("content_object__learner", "content_object__semester__school_year")
        .order_by("until", "id")
    )


def approval_queue(acting):
    """IAP-5: submitted plans of the approver's institution, oldest first."""
    return plan_list(acting, status=Plan.Status.SUBMITTED).order_by("submitted_at", "pk")


def invitation_list(acting):
    return (
        policies.invitations_for(acting)
        .select_related(
            "plan__learner__institution__municipality", "plan__semester__school_year", "invited_by"
        )
        .order_by("-invited_at")
    )


def learner_list(acting, *, semesters=None):
    """The learners the acting role may read; with `semesters` (a `SemesterChoice`), those
    with a plan in its semesters, and by default also those registered since the first of
    them began, whose plan is still to be made. Each carries `plan_count`."""
    learners = policies.learners_for(acting)
    if semesters is not None:
        # One list of ids from two indexes (plan_by_semester, learner_registered), not an OR
        # that would read every learner ever registered.
        in_play = (
            Plan.objects.filter(semester_id__in=semesters.shown_ids).order_by().values("learner_id")
        )
        if semesters.chosen is None and semesters.shown:
            since = datetime.datetime.combine(semesters.shown[-1].start_date, datetime.time())
            registered = Learner.objects.filter(created_at__gte=timezone.make_aware(since))
            in_play = in_play.union(registered.order_by().values("pk"), all=True)
        learners = learners.filter(pk__in=in_play)
    # Each learner's plans counted in a subquery, which the database runs only for the rows
    # a page shows, instead of grouping every plan of the scope.
    plan_count = (
        Plan.objects.filter(learner=OuterRef("pk"))
        .order_by()
        .values("learner")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return learners.annotate(plan_count=Coalesce(Subquery(plan_count), 0)).order_by(
        latvian("last_name"), latvian("first_name"), "pk"
    )


def mentors_for_plan(acting, plan, *, municipality=None, name=""):
    """REG-2: the registry from the plan, filtered to the learner's municipality by default."""
    mentors = mentors_policies.mentors_for(acting).filter(
        is_available=True, hidden_from_search=False
    )
    if municipality is not None:
        mentors = mentors.filter(municipalities=municipality)
    for word in name.split():
        mentors = mentors.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return (
        mentors_with_load(mentors, plan.semester)
        .select_related("region")
        .prefetch_related(
            Prefetch("municipalities", queryset=Municipality.objects.order_by(latvian("name")))
        )
        .order_by(latvian("last_name"), latvian("first_name"), "pk")
    )


# What str() of a contract or a semester reads, fetched with it.
HISTORY_RELATED = {
    Contract: Contract.objects.select_related(
        "mentor", "employer", "semester__school_year", "school_year"
    ),
    Semester: Semester.objects.select_related("school_year"),
}


def plan_history_changes(plan):
    """The plan's history in words: choices by their labels, related rows by their names, and
    for a document only which one changed (its file name says nothing and leads nowhere).

    Each record is compared with the one before it in the same list, and the related rows of
    all records are fetched at once, one query per model, however long the history.
    """
    records = list(
        plan.history.select_related("history_user").order_by("-history_date", "-history_id")
    )
    deltas = [
        (record, previous, record.diff_against(previous).changes if previous else [])
        for record, previous in zip(records, [*records[1:], None], strict=True)
    ]
    wanted = defaultdict(set)
    for _record, _previous, delta in deltas:
        for change in delta:
            field = Plan._meta.get_field(change.field)
            if field.is_relation:
                wanted[field.related_model].update({change.old, change.new} - {None})
    related = {
        model: HISTORY_RELATED.get(model, model._default_manager).in_bulk(ids)
        for model, ids in wanted.items()
    }

    def shown(record, field, value):
        if value in (None, ""):
            return ""
        if field.is_relation:
            return str(related[field.related_model].get(value, ""))
        if field.choices:
            return getattr(record, f"get_{field.name}_display")()
        return value

    changes = []
    for record, previous, delta in deltas:
        lines = []
        # In the order of the model's fields, not alphabetically by their code names.
        for change in sorted(delta, key=lambda c: Plan._meta.get_field(c.field).creation_counter):
            field = Plan._meta.get_field(change.field)
            if field.name in PLAN_FILES:
                lines.append({"document": field.verbose_name, "replaced": bool(change.old)})
            else:
                lines.append(
                    {
                        "field": field.verbose_name,
                        "old": shown(previous, field, change.old),
                        "new": shown(record, field, change.new),
                    }
                )
        changes.append({"record": record, "changes": lines})
    return changes
