from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    default_site = "skola_kopiena.admin_site.PortalAdminSite"
