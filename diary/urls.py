from django.urls import path

from . import views

app_name = "diary"

urlpatterns = [
    path("dienasgramata/<int:plan_pk>/", views.diary_current, name="current"),
    path("dienasgramata/<int:plan_pk>/<int:year>-<int:month>/", views.diary_month, name="month"),
    path(
        "dienasgramata/<int:plan_pk>/<int:year>-<int:month>/grafiks/",
        views.month_scan,
        name="month_scan",
    ),
    path(
        "dienasgramata/<int:plan_pk>/<int:year>-<int:month>/apstiprinat/",
        views.month_confirm,
        name="month_confirm",
    ),
    path("dienasgramata/<int:plan_pk>/jauns/", views.entry_new, name="entry_new"),
    path("dienasgramata/ieraksts/<int:pk>/", views.entry_edit, name="entry_edit"),
    path("dienasgramata/ieraksts/<int:pk>/dzest/", views.entry_delete, name="entry_delete"),
]
