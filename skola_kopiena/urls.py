from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import include, path, register_converter
from django.utils.functional import lazy
from django.views.generic import RedirectView
from django.views.i18n import set_language

from skola_kopiena import parsing, views
from skola_kopiena.accounts import views as account_views

# Registered here, before the apps' URLconfs below are included: a pattern looks its
# converters up when it is built.
register_converter(parsing.IdConverter, "id")
register_converter(parsing.YearConverter, "year")
register_converter(parsing.MonthConverter, "month")

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("loma/", account_views.choose_role, name="choose_role"),
    path("sesija/pagarinat/", account_views.keep_alive, name="keep_alive"),
    path("valoda/", login_not_required(set_language), name="set_language"),
    # Browsers ask for /favicon.ico where a page names no icon (a PDF, a downloaded file).
    path(
        "favicon.ico",
        login_not_required(RedirectView.as_view(url=lazy(static, str)("favicon.ico"))),
    ),
    # Login emails change only through the registry and the admin (REG-3), never by hand.
    path("accounts/email/", views.not_available, name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("mentori/", include("mentors.urls")),
    path("", include("iap.urls")),
    path("", include("diary.urls")),
    path("", include("timesheets.urls")),
    path("", include("payroll.urls")),
    path("", include("supervision.urls")),
    path("", include("evaluation.urls")),
    path("", include("overview.urls")),
    path("faili/", include("skola_kopiena.files.urls")),
    path("admin/", admin.site.urls),
]
