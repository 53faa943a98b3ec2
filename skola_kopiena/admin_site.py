"""The portal's admin site and the base of every ModelAdmin in it.

The admin is a view like any other: each page asks the permission module (`admin_may`,
`admin_scope`) with the portal's scopes. Another region's row answers 404, like a malformed
id; a write the acting user may not make answers 403.
"""

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.utils import display_for_field, flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.templatetags.static import static
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper, ObjDiffDisplay

from skola_kopiena.accounts import permissions

EMPTY = "—"


def _boolean_icon(value):
    """Django's yes/no icon, with Latvian alt text: Django writes "True" and "False"."""
    icon = {True: "yes", False: "no", None: "unknown"}[value]
    alt = {True: gettext("Yes"), False: gettext("No"), None: gettext("Unknown")}[value]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), alt)


# Lists, readonly fields and filters import it from here when they draw an icon.
admin_list._boolean_icon = _boolean_icon


def name_fields(model, **labels):
    """Latvian names for fields that their model leaves unnamed (allauth's "created at"):
    lists, filters, pages and history pages all read `verbose_name`. Migrations read the
    declared name (`Field._verbose_name`), so no migration changes."""
    for name, label in labels.items():
        model._meta.get_field(name).verbose_name = label


def history_value(field, value):
    """One value of a field in a history page, as the portal writes it: a choice by its label,
    a date and time in Riga without seconds, yes or no, a related row by its name, "—" for
    nothing, and for a file only that there is one (its generated name says nothing)."""
    if isinstance(value, list):  # many-to-many: the related rows
        return ", ".join(history_value(field, one) for one in value) or EMPTY
    if isinstance(value, DeletedObject):
        if value.pk is None:
            return EMPTY
        return gettext("Deleted %(type_name)s") % {"type_name": value.model._meta.verbose_name}
    if value is None or value == "":
        return EMPTY
    if isinstance(field, models.FileField):
        return gettext("file")
    if isinstance(field, models.BooleanField):
        return gettext("Yes") if value else gettext("No")
    if field.is_relation:
        return str(value)
    return str(display_for_field(value, field, EMPTY))


class _HistoryDiff(ObjDiffDisplay):
    def shortened_str(self, prefix, num_skipped_chars, suffix):
        return f"{prefix}…{suffix}"  # simple-history writes "[50 chars]"


class PortalHistoryContextHelper(HistoricalRecordContextHelper):
    """The changes of a history page in words (`history_value`), not codes, UTC and ids."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        return history_value(field, super().prepare_delta_change_value(change, value))

    def get_obj_diff_display(self):
        return _HistoryDiff(max_length=self.max_displayed_delta_change_chars)


class PortalAdminSite(admin.AdminSite):
    site_header = _("Skola – kopienā: administration")
    site_title = _("Skola – kopienā")
    index_title = _("Project data")

    def has_permission(self, request):
        return permissions.can_use_admin(request)

    def login(self, request, extra_context=None):
        # Someone signed in whose role has no admin is told so (the portal's 403 page, which
        # offers the role switch): the login would send them straight back here, in a loop.
        if request.user.is_authenticated:
            raise PermissionDenied
        # The admin logs in through the same protected allauth flow (rate limits, MFA).
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.GET.get("next", self.index_url()))

    def index_url(self):
        from django.urls import reverse

        return reverse("admin:index", current_app=self.name)


class CountUpToPaginator(Paginator):
    """Counts a list's rows up to `COUNT_UP_TO` and no further: the access log and the diary
    months only grow, and counting all of them on every page would make each page slower
    than the year before. Beyond it the list says "more than 10 000"; filters narrow it."""

    COUNT_UP_TO = 10_000

    @cached_property
    def count(self):
        return self.object_list.order_by()[: self.COUNT_UP_TO + 1].count()

    @property
    def counted_all(self):
        return self.count <= self.COUNT_UP_TO


class ScopedAdminMixin:
    """Lists, pages and every permission of a ModelAdmin, from the permission module."""

    paginator = CountUpToPaginator
    # The count of the unfiltered list beside a filtered one would count everything again.
    show_full_result_count = False

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

    def changelist_view(self, request, extra_context=None):
        # The list is headed by the model's plural ("Likmes"): Django's "Select %s to change"
        # would need the accusative of a name that the model gives only in the nominative.
        title = capfirst(self.model._meta.verbose_name_plural)
        return super().changelist_view(request, {"title": title, **(extra_context or {})})


class PortalModelAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """For models without history (the access log, sent emails, allauth's rows)."""


class PortalHistoryAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """For domain models: their history pages are scoped like their change pages, and a past
    version is only read, never restored (a restore would bypass the services)."""

    object_history_list_template = "admin/portal_history_list.html"
    object_history_form_template = "admin/portal_history_form.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return PortalHistoryContextHelper(self.model, historical_record)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.get_object(request, unquote(object_id))
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def render_history_view(self, request, template, context, **kwargs):
        adminform = context.get("adminform")
        if adminform is not None:
            # A past version reads like a page one may not change, every field as text, as
            # Django shows it: no widget lists its choices (every plan, every user in the
            # country) or offers to edit; a password stays behind its read-only widget.
            context["adminform"] = helpers.AdminForm(
                adminform.form,
                adminform.fieldsets,
                {},
                readonly_fields=flatten_fieldsets(adminform.fieldsets),
                model_admin=self,
            )
        return super().render_history_view(request, template, context, **kwargs)


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
