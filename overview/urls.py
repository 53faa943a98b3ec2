from django.urls import path

from . import views

app_name = "overview"

urlpatterns = [
    path("parskats/", views.overview, name="index"),
    path("parskats/izvertesanas/", views.answer_plans, name="answers"),
    path("parskats/eksports/", views.report_export, name="report_export"),
    path("parskats/eksporti/<id:pk>/", views.export_detail, name="export"),
    # ACC-1: the access log of the staff member's regions, as a file.
    path("piekluves-zurnals/eksports/", views.access_log_export, name="access_log"),
    path(
        "piekluves-zurnals/eksporti/<id:pk>/",
        views.access_log_export_detail,
        name="access_log_export",
    ),
    # A person's complete record (a data-protection request, an audit).
    path("izglitojamie/<id:pk>/pilns-ieraksts/", views.learner_record, name="learner_record"),
    path("mentori/<id:pk>/pilns-ieraksts/", views.mentor_record, name="mentor_record"),
]
