from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from skola_kopiena.accounts import permissions


class PortalAdminSite(admin.AdminSite):
    site_header = _("Skola – kopienā: administration")
    site_title = _("Skola – kopienā")
    index_title = _("Project data")

    def has_permission(self, request):
        return permissions.can_use_admin(request.user)

    def login(self, request, extra_context=None):
        # The admin logs in through the same protected allauth flow (rate limits, MFA).
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.GET.get("next", self.index_url()))

    def index_url(self):
        from django.urls import reverse

        return reverse("admin:index", current_app=self.name)
