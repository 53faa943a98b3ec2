from django.urls import path

from . import views

app_name = "iap"

urlpatterns = [
    path("izglitojamie/", views.learner_list, name="learners"),
    path("izglitojamie/jauns/", views.learner_new, name="learner_new"),
    path("izglitojamie/<id:pk>/", views.learner_detail, name="learner"),
    path("izglitojamie/<id:pk>/labot/", views.learner_edit, name="learner_edit"),
    path("izglitojamie/<id:learner_pk>/iap/jauns/", views.plan_new, name="plan_new"),
    path("iap/", views.plan_list, name="plans"),
    path("iap/<id:pk>/", views.plan_detail, name="plan"),
    path("iap/<id:pk>/labot/", views.plan_edit, name="plan_edit"),
    path("iap/<id:pk>/vesture/", views.plan_history, name="plan_history"),
    path("iap/<id:pk>/pasakumi/", views.measure_add, name="measure_add"),
    path(
        "iap/<id:pk>/pasakumi/<id:measure_pk>/dzest/", views.measure_remove, name="measure_remove"
    ),
    path("iap/<id:pk>/mentori/", views.plan_mentors, name="plan_mentors"),
    path("iap/<id:pk>/uzaicinat/", views.plan_invite, name="plan_invite"),
    path(
        "iap/<id:pk>/uzaicinajumi/<id:invitation_pk>/atsaukt/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("iap/<id:pk>/ligums/", views.plan_contract, name="plan_contract"),
    path("iap/<id:pk>/dokumenti/", views.plan_documents, name="plan_documents"),
    path("iap/<id:pk>/vienosanas.pdf", views.agreement_pdf, name="agreement_pdf"),
    path("iap/<id:pk>/iesniegt/", views.plan_submit, name="plan_submit"),
    path("iap/<id:pk>/lemums/", views.plan_decide, name="plan_decide"),
    path("iap/<id:pk>/stundas/", views.plan_hours, name="plan_hours"),
    path("iap/<id:pk>/partraukt/", views.plan_terminate, name="plan_terminate"),
    path("iap/<id:pk>/pagarinat/", views.plan_extend, name="plan_extend"),
    path("iap/<id:pk>/revidenti/", views.plan_audit, name="plan_audit"),
    path(
        "iap/<id:pk>/revidenti/<id:grant_pk>/beigt/",
        views.audit_grant_end,
        name="audit_grant_end",
    ),
    path("uzaicinajumi/", views.invitation_list, name="invitations"),
    path("uzaicinajumi/<id:pk>/", views.invitation_detail, name="invitation"),
]
