from django.core.exceptions import PermissionDenied

from .models import AccessLog


def _access_log_entry(acting, action, obj, month=None):
    # Objects name the plan, mentor, region and month they belong to, so that the log reads
    # in words and is filtered and scoped by them.
    subject = obj.access_log_subject() if hasattr(obj, "access_log_subject") else {}
    return AccessLog(
        user=acting.user,
        role=acting.role or "",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        plan_pk=subject.get("plan_pk"),
        mentor_pk=subject.get("mentor_pk"),
        mentor_name=str(subject.get("mentor") or "")[:255],
        region_id=subject.get("region_id"),
        month=month or subject.get("month"),
    )


def access_log_record(*, acting, action, obj, month=None):
    """ACC-1, ACC-2: append who read or downloaded what (of which month), and when."""
    entry = _access_log_entry(acting, action, obj, month)
    entry.save()
    return entry


def access_log_auditor_page(*, acting, request):
    """ACC-1: an auditor's every read is logged, page by page, beside the log of the diaries,
    evaluations and files the page itself records; staff of the auditor's region see it."""
    match = request.resolver_match
    return AccessLog.objects.create(
        user=acting.user,
        role=acting.role,
        action=AccessLog.Action.AUDIT_READ,
        object_type="page",
        object_id=(match.view_name if match else "")[:64],
        object_repr=request.get_full_path()[:255],
        region_id=acting.membership.region_id,
    )


def access_log_record_many(*, acting, action, objs):
    """ACC-1: one entry per object shown on one page, written in one query."""
    return AccessLog.objects.bulk_create([_access_log_entry(acting, action, o) for o in objs])


def active_role_choose(*, acting, session, membership_id):
    """Switch the role the user acts as; only one of their own active roles."""
    if not any(m.id == membership_id for m in acting.memberships):
        raise PermissionDenied
    from .middleware import ACTIVE_ROLE_SESSION_KEY

    session[ACTIVE_ROLE_SESSION_KEY] = membership_id
