from django.urls import path

from . import views

app_name = "timesheets"

urlpatterns = [
    path("stundas/", views.approval_queue, name="queue"),
    path("stundas/<id:pk>/lemums/", views.month_decide, name="decide"),
    path("stundas/<id:pk>/atvert/", views.month_reopen, name="reopen"),
    path("dienasgramata/<id:plan_pk>/grafiks.pdf", views.timesheet_pdf, name="pdf"),
]
