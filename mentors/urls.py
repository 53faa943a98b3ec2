from django.urls import path

from . import views

app_name = "mentors"

urlpatterns = [
    path("", views.registry, name="registry"),
    path("<id:pk>/", views.mentor_detail, name="detail"),
    path("mans-ieraksts/", views.my_entry, name="my_entry"),
    path("mans-ieraksts/izmainas/", views.change_request_new, name="change_request_new"),
    path("mans-ieraksts/redzamiba/", views.my_visibility, name="my_visibility"),
    path("izmainu-pieprasijumi/", views.change_request_list, name="change_requests"),
    path("izmainu-pieprasijumi/<id:pk>/", views.change_request_decide, name="change_request"),
    path("imports/", views.registry_import_new, name="import"),
    path("imports/<id:pk>/", views.registry_import_preview, name="import_preview"),
]
