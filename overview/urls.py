from django.urls import path

from . import views

app_name = "overview"

urlpatterns = [
    path("parskats/", views.overview, name="index"),
    path("parskats/eksports/", views.report_export, name="report_export"),
    path("parskats/eksporti/<id:pk>/", views.export_detail, name="export"),
    # A person's complete record (a data-protection request, an audit).
    path("izglitojamie/<id:pk>/pilns-ieraksts/", views.learner_record, name="learner_record"),
    path("mentori/<id:pk>/pilns-ieraksts/", views.mentor_record, name="mentor_record"),
]
