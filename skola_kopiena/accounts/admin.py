from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import permissions
from .models import AccessLog, Role, RoleMembership, User


class RoleMembershipForm(forms.ModelForm):
    class Meta:
        model = RoleMembership
        fields = ["role", "institution", "region", "is_active"]

    def clean_role(self):
        role = self.cleaned_data["role"]
        if not permissions.can_grant_role(self.current_user, role):
            raise forms.ValidationError(_("Only an administrator can give the administrator role."))
        return role


class RoleMembershipInline(admin.TabularInline):
    model = RoleMembership
    form = RoleMembershipForm
    extra = 0
    autocomplete_fields = ["institution"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.current_user = request.user
        return formset


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
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
        # An administrator's account is theirs and other administrators' to change.
        if obj is not None and not permissions.may_edit_account(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not permissions.may_edit_account(request.user, obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        # Project staff create accounts and give roles; only administrators make superusers.
        fields = list(super().get_readonly_fields(request, obj))
        if not permissions.can_grant_role(request.user, Role.ADMIN):
            fields += ["is_staff", "is_superuser"]
        return fields


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the access log is only ever appended to by the application."""

    list_display = ["at", "user", "role", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type", "role"]
    search_fields = ["user__email", "object_repr", "object_id"]
    list_select_related = ["user"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
