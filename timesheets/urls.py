from django.urls import path

from . import views

app_name = "timesheets"

urlpatterns = [
    path("stundas/", views.approval_queue, name="queue"),
    path("stundas/<id:pk>/lemums/", views.month_decide, name="decide"),
    path("stundas/<id:pk>/atvert/", views.month_reopen, name="reopen"),
    path("dienasgramata/<id:plan_pk>/grafiks.pdf", views.timesheet_pdf, name="pdf"),
    # APR-4: project staff check the hours against the diary.
    path("parbaude/", views.verification_list, name="verification"),
    path("parbaude/<id:pk>/", views.verification_month, name="verify"),
    path("parbaude/konstatejumi/", views.verification_findings, name="findings"),
]
