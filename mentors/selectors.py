from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from skola_kopiena.collation import latvian
from skola_kopiena.schools.calendar import current_semester
from skola_kopiena.schools.models import Municipality

from . import policies
from .models import MAX_LEARNERS_PER_SEMESTER, ChangeRequest, Mentor


def registry_search(acting, *, municipality=None, region=None, name="", ready=False, learners=None):
    """REG-2: the registry as the acting role may see it, filtered, in Latvian name order;
    `ready`: only those a preparer can invite; `learners`: only those with that many
    learners in the current semester (CAP-1).

    Each mentor carries `learner_count`: their learners in the current semester (CAP-1).
    """
    mentors = policies.mentors_for(acting)
    if ready:
        mentors = mentors.filter(is_available=True, hidden_from_search=False)
    if municipality is not None:
        mentors = mentors.filter(municipalities=municipality)
    if region is not None:
        mentors = mentors.filter(region=region)
    for word in name.split():
        mentors = mentors.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(certificate_number__iexact=word)
        )
    mentors = mentors_with_load(mentors, current_semester())
    if learners is not None:
        mentors = mentors.filter(learner_count=learners)
    return (
        mentors.select_related("region")
        .prefetch_related(
            Prefetch("municipalities", queryset=Municipality.objects.order_by(latvian("name")))
        )
        .order_by(latvian("last_name"), latvian("first_name"), "pk")
    )


def learner_count(semester, mentor_column="pk"):
    """CAP-1: the number of a mentor's learners (plans they accepted) in `semester`, as a
    subquery of the outer row whose `mentor_column` holds the mentor.

    A subquery per mentor, not a join with every plan of every semester: the database counts
    only for the mentors a page shows (index plan_by_mentor), so it does not slow down as
    years pass.
    """
    plans = Mentor._meta.get_field("plans").related_model.objects
    learners = (
        plans.filter(mentor=OuterRef(mentor_column), semester=semester)
        .order_by()
        .values("mentor")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(learners), 0)


def mentors_with_load(mentors, semester):
    """CAP-1: each mentor's learners in `semester`, in the same query."""
    return mentors.annotate(learner_count=learner_count(semester))


def learner_capacity():
    return MAX_LEARNERS_PER_SEMESTER


def change_requests_pending(acting):
    return (
        policies.change_requests_for(acting)
        .filter(status=ChangeRequest.Status.PENDING)
        .select_related("mentor__region", "region", "requested_by")
        .prefetch_related("municipalities", "mentor__municipalities")
        .order_by("requested_at")
    )


def change_requests_decided(acting, limit=50):
    return (
        policies.change_requests_for(acting)
        .exclude(status=ChangeRequest.Status.PENDING)
        .select_related("mentor", "decided_by")
        .order_by("-decided_at")[:limit]
    )
