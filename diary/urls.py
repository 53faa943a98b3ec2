from django.urls import path

from . import views

app_name = "diary"

urlpatterns = [
    path("dienasgramata/<id:plan_pk>/", views.diary_current, name="current"),
    path("dienasgramata/<id:plan_pk>/<year:year>-<month:month>/", views.diary_month, name="month"),
    path(
        "dienasgramata/<id:plan_pk>/<year:year>-<month:month>/grafiks/",
        views.month_scan,
        name="month_scan",
    ),
    path(
        "dienasgramata/<id:plan_pk>/<year:year>-<month:month>/apstiprinat/",
        views.month_confirm,
        name="month_confirm",
    ),
    path("dienasgramata/<id:plan_pk>/jauns/", views.entry_new, name="entry_new"),
    path("dienasgramata/ieraksts/<id:pk>/", views.entry_edit, name="entry_edit"),
    path("dienasgramata/ieraksts/<id:pk>/dzest/", views.entry_delete, name="entry_delete"),
]
