"""The portal's admin site and the base of every ModelAdmin in it.

The admin is a view like any other: each page asks the permission module (`admin_may`,
`admin_scope`) with the portal's scopes. Another region's row answers 404, like a malformed
id; a write the acting user may not make answers 403.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from skola_kopiena.accounts import permissions


class PortalAdminSite(admin.AdminSite):
    site_header = _("Skola – kopienā: administration")
    site_title = _("Skola – kopienā")
    index_title = _("Project data")

    def has_permission(self, request):
        return permissions.can_use_admin(request)

    def login(self, request, extra_context=None):
        # The admin logs in through the same protected allauth flow (rate limits, MFA).
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.GET.get("next", self.index_url()))

    def index_url(self):
        from django.urls import reverse

        return reverse("admin:index", current_app=self.name)


class ScopedAdminMixin:
    """Lists, pages and every permission of a ModelAdmin, from the permission module."""

    def _may(self, request, action):
        return permissions.admin_may(permissions.admin_acting(request), action, self.model)

    def get_queryset(self, request):
        acting = permissions.admin_acting(request)
        return permissions.admin_scope(acting, self.model, super().get_queryset(request))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404  # outside the scope, or not an id at all
        return obj

    def has_module_permission(self, request):
        return self._may(request, "view")

    def has_view_permission(self, request, obj=None):
        return self._may(request, "view")

    def has_add_permission(self, request):
        return self._may(request, "add")

    def has_change_permission(self, request, obj=None):
        return self._may(request, "change")

    def has_delete_permission(self, request, obj=None):
        return self._may(request, "delete")

    def history_view(self, request, object_id, extra_context=None):
        self.get_object(request, unquote(object_id))  # 404 outside the scope
        return super().history_view(request, object_id, extra_context)


class PortalModelAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """For models without history (the access log, sent emails, allauth's rows)."""


class PortalHistoryAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """For domain models: their history pages are scoped like their change pages, and a past
    version is only read, never restored (a restore would bypass the services)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.get_object(request, unquote(object_id))
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class PortalInline:
    """Inline rows follow their parent: seen with it, written by whoever may change it."""

    can_delete = False

    def _parent_may(self, request, action):
        return permissions.admin_may(permissions.admin_acting(request), action, self.parent_model)

    def has_view_permission(self, request, obj=None):
        return self._parent_may(request, "view")

    def has_add_permission(self, request, obj=None):
        return self._parent_may(request, "change")

    def has_change_permission(self, request, obj=None):
        return self._parent_may(request, "change")

    def has_delete_permission(self, request, obj=None):
        return self.can_delete and self._parent_may(request, "change")


class PortalTabularInline(PortalInline, admin.TabularInline):
    pass
