from django.urls import path

from . import views

app_name = "files"

urlpatterns = [
    path(
        "<slug:app_label>/<slug:model_name>/<id:pk>/<slug:field_name>/",
        views.download,
        name="download",
    ),
]
