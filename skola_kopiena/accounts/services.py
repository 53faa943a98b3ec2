from django.core.exceptions import PermissionDenied

from .models import AccessLog


def access_log_record(*, acting, action, obj):
    """ACC-1, ACC-2: append who read or downloaded what, and when."""
    return AccessLog.objects.create(
        user=acting.user,
        role=acting.role or "",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
    )


def active_role_choose(*, acting, session, membership_id):
    """Switch the role the user acts as; only one of their own active roles."""
    if not any(m.id == membership_id for m in acting.memberships):
        raise PermissionDenied
    from .middleware import ACTIVE_ROLE_SESSION_KEY

    session[ACTIVE_ROLE_SESSION_KEY] = membership_id
