from . import permissions


class RolePermissionBackend:
    """Admin model permissions follow the user's roles (decided in `permissions`)."""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        return permissions.admin_permission(user_obj, perm)

    def has_module_perms(self, user_obj, app_label):
        return permissions.admin_permission(user_obj, f"{app_label}.view")
