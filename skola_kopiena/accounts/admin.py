from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from skola_kopiena.admin_site import (
    PortalHistoryAdmin,
    PortalModelAdmin,
    PortalTabularInline,
    ScopedAdminMixin,
    name_fields,
)

from . import permissions
from .models import AccessLog, RoleMembership, User

# Roles, not groups or per-user permission rows, decide what a user may do.
admin.site.unregister(Group)
admin.site.unregister(EmailAddress)
admin.site.unregister(Authenticator)

# allauth gives its model and fields no translatable names ("authenticators", "created at").
Authenticator._meta.verbose_name = _("authenticator")
Authenticator._meta.verbose_name_plural = _("authenticators")
name_fields(
    Authenticator,
    user=_("user"),
    type=_("kind"),
    created_at=_("created"),
    last_used_at=_("last used"),
)


@admin.register(EmailAddress)
class PortalEmailAddressAdmin(ScopedAdminMixin, EmailAddressAdmin):
    pass


@admin.register(Authenticator)
class PortalAuthenticatorAdmin(ScopedAdminMixin, AuthenticatorAdmin):
    """An administrator removes a lost second factor so that its owner can set up a new one."""

    # The secret of an authenticator app and the seeds of recovery codes are nobody's to read.
    exclude = ["data"]


class RoleMembershipForm(forms.ModelForm):
    class Meta:
        model = RoleMembership
        fields = ["role", "institution", "region", "sample_only", "is_active"]

    def clean_role(self):
        role = self.cleaned_data["role"]
        if not permissions.can_grant_role(self.acting, role):
            raise forms.ValidationError(_("You cannot give a role wider than your own."))
        return role


class RoleMembershipInline(PortalTabularInline):
    model = RoleMembership
    form = RoleMembershipForm
    extra = 0
    autocomplete_fields = ["institution"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.acting = permissions.admin_acting(request)
        return formset


@admin.register(User)
class UserAdmin(PortalHistoryAdmin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "last_login"]
    list_filter = ["is_active", "memberships__role"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "first_name", "last_name", "password1", "password2"],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [RoleMembershipInline]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return permissions.may_edit_account(permissions.admin_acting(request), obj)

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser makes another: nobody gives a role wider than their own.
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_staff", "is_superuser"]
        return fields


@admin.register(AccessLog)
class AccessLogAdmin(PortalModelAdmin):
    """ACC-1: who read which diary, plan or file, when and in which role. Read-only: the
    application only appends to it. Each column links to the log filtered by its value."""

    list_display = ["at", "reader", "role", "action", "what", "month_label", "mentor"]
    list_filter = ["action", "role"]
    search_fields = ["user__email", "user__last_name", "object_repr", "mentor_name"]
    list_select_related = ["user"]
    date_hierarchy = "at"
    # The filters the columns link to; `lookup_allowed` admits them.
    filter_parameters = ("plan_pk", "mentor_pk", "user__id__exact")

    def lookup_allowed(self, lookup, value, request=None):
        return lookup in self.filter_parameters or super().lookup_allowed(lookup, value, request)

    @staticmethod
    def _filter_link(parameter, value, label):
        if not value:
            return label or "—"
        return format_html('<a href="?{}">{}</a>', urlencode({parameter: value}), label)

    @admin.display(description=_("reader"), ordering="user__last_name")
    def reader(self, entry):
        return self._filter_link("user__id__exact", entry.user_id, entry.user)

    @admin.display(description=_("what was read"))
    def what(self, entry):
        return self._filter_link("plan_pk", entry.plan_pk, entry.object_repr)

    @admin.display(description=_("month"), ordering="month")
    def month_label(self, entry):
        return entry.month.strftime("%m.%Y") if entry.month else "—"

    @admin.display(description=_("mentor"))
    def mentor(self, entry):
        return self._filter_link("mentor_pk", entry.mentor_pk, entry.mentor_name)
