from django.urls import path

from . import views

app_name = "payroll"

urlpatterns = [
    path("samaksa/", views.my_pay, name="mine"),
    path("darba-samaksa/", views.payroll_index, name="index"),
    path("darba-samaksa/<year:year>-<month:month>/", views.payroll_overview, name="overview"),
    path(
        "darba-samaksa/<year:year>-<month:month>/eksports/",
        views.region_export,
        name="region_export",
    ),
    path(
        "darba-samaksa/iestade/<id:pk>/<year:year>-<month:month>/",
        views.employer_payroll,
        name="employer",
    ),
    path(
        "darba-samaksa/iestade/<id:pk>/<year:year>-<month:month>/slegt/",
        views.payroll_close,
        name="close",
    ),
    path(
        "darba-samaksa/iestade/<id:pk>/<year:year>-<month:month>/eksports/",
        views.employer_export,
        name="employer_export",
    ),
    path("eksporti/<id:pk>/", views.export_detail, name="export"),
]
