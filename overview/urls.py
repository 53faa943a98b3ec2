from django.urls import path

from . import views

app_name = "overview"

urlpatterns = [
    path("parskats/", views.overview, name="index"),
    path("parskats/eksports/", views.report_export, name="report_export"),
    path("parskats/eksporti/<id:pk>/", views.export_detail, name="export"),
]
