"""Who sees and runs supervision (SUP-1), on the shared scopes of
`skola_kopiena.accounts.permissions`.

Project staff see and create the sessions of their region (national staff and administrators:
of every region) and keep their attendance; auditors of a region or the country read them. A
mentor sees the upcoming sessions of their own region for the target groups of their
learners, and the sessions they signed up for. Other roles are refused (403); a session
outside the acting scope answers 404.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from iap.models import Plan
from mentors.policies import own_mentor_entry
from skola_kopiena.accounts.models import Role
from skola_kopiena.accounts.permissions import REGIONAL, AdminRule, register_admin_rules
from skola_kopiena.schools.models import Region

from .models import Session, Signup


def runs_sessions(acting):
    """Project staff and administrators create sessions and keep the attendance."""
    return acting.has_role(Role.STAFF, Role.ADMIN)


def sees_sessions(acting):
    """Project staff and administrators, and auditors, who read what staff read."""
    return runs_sessions(acting) or acting.oversees


def staff_sessions(acting):
    """The sessions of the acting staff member's or auditor's regions (national ones and
    admins: all)."""
    sessions = Session.objects.all()
    if acting.is_national:
        return sessions
    if acting.oversees:
        return sessions.filter(region_id__in=acting.region_ids)
    return sessions.none()


def staff_signups(acting):
    return Signup.objects.filter(session__in=staff_sessions(acting).values("pk"))


def session_regions(acting):
    """The regions the acting role creates sessions in."""
    if acting.is_national:
        return Region.objects.all()
    if acting.is_staff:
        return Region.objects.filter(pk__in=acting.region_ids)
    return Region.objects.none()


def may_run_session(acting, session):
    """Staff of the session's region, national staff and administrators."""
    return acting.is_national or (acting.is_staff and session.region_id in acting.region_ids)


def _semester_not_ended(today):
    # The second semester ends by grade (CAL-2): a semester has ended when its last end has.
    return (
        Q(semester__end_date__gte=today)
        | Q(semester__end_date_grade_9__gte=today)
        | Q(semester__end_date_grade_12__gte=today)
    )


def mentor_target_groups(mentor, today=None):
    """SUP-1: the target groups whose sessions a mentor joins: those of the learners of their
    approved or terminated plans whose semester has not ended. A mentor with no such plan
    (between plans, or new) may join any group of the region."""
    today = today or timezone.localdate()
    groups = set(
        Plan.objects.filter(
            mentor=mentor, status__in=[Plan.Status.APPROVED, Plan.Status.TERMINATED]
        )
        .filter(_semester_not_ended(today))
        .order_by()
        .values_list("learner__education", flat=True)
        .distinct()
    )
    return groups or set(Session.TargetGroup.values)


def own_signups(mentor):
    """The mentor's sign-ups not cancelled."""
    return Signup.objects.filter(mentor=mentor, cancelled_at__isnull=True)


def upcoming_for_mentor(mentor, groups, now=None):
    """SUP-1: the sessions a mentor is offered: not started, of their region and groups."""
    return Session.objects.filter(
        region_id=mentor.region_id,
        target_group__in=sorted(groups),
        starts_at__gt=now or timezone.now(),
    )


def mentor_sessions(mentor, groups):
    """The sessions a mentor sees: the ones offered to them, and the ones they signed up for
    (also after they took place, with their attendance)."""
    mine = own_signups(mentor).filter(session=OuterRef("pk"))
    offered = upcoming_for_mentor(mentor, groups).values("pk")
    return Session.objects.filter(Q(pk__in=offered) | Q(Exists(mine)))


def get_session_for(acting, pk):
    """(session, mentor): 403 to roles that have no supervision, 404 for a session outside
    the acting scope. `mentor` is the acting mentor's entry (None for staff)."""
    if sees_sessions(acting):
        sessions, mentor = staff_sessions(acting), None
    elif acting.has_role(Role.MENTOR):
        mentor = own_mentor_entry(acting)
        sessions = mentor_sessions(mentor, mentor_target_groups(mentor))
    else:
        raise PermissionDenied
    session = sessions.filter(pk=pk).select_related("region", "created_by").first()
    if session is None:
        raise Http404
    return session, mentor


def get_mentor_for(acting):
    """The acting mentor's own registry entry; 403 to every other role."""
    return own_mentor_entry(acting)


def get_staff_session_for(acting, pk):
    """A session whose attendance the acting staff member keeps: 403 to other roles, 404
    outside their regions."""
    if not runs_sessions(acting):
        raise PermissionDenied
    session = staff_sessions(acting).filter(pk=pk).select_related("region").first()
    if session is None:
        raise Http404
    return session


register_admin_rules(
    {
        # SUP-1: sign-ups and attendance change only through the portal's services; the
        # admin reads them, in the coordinator's regions.
        "supervision.session": AdminRule(view=REGIONAL, scope=staff_sessions),
        "supervision.signup": AdminRule(view=REGIONAL, scope=staff_signups),
    }
)
