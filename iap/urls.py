from django.urls import path

from . import views

app_name = "iap"

urlpatterns = [
    path("izglitojamie/", views.learner_list, name="learners"),
    path("izglitojamie/jauns/", views.learner_new, name="learner_new"),
    path("izglitojamie/<int:pk>/", views.learner_detail, name="learner"),
    path("izglitojamie/<int:pk>/labot/", views.learner_edit, name="learner_edit"),
    path("izglitojamie/<int:learner_pk>/iap/jauns/", views.plan_new, name="plan_new"),
    path("iap/", views.plan_list, name="plans"),
    path("iap/<int:pk>/", views.plan_detail, name="plan"),
    path("iap/<int:pk>/labot/", views.plan_edit, name="plan_edit"),
    path("iap/<int:pk>/vesture/", views.plan_history, name="plan_history"),
    path("iap/<int:pk>/pasakumi/", views.measure_add, name="measure_add"),
    path(
        "iap/<int:pk>/pasakumi/<int:measure_pk>/dzest/", views.measure_remove, name="measure_remove"
    ),
    path("iap/<int:pk>/mentori/", views.plan_mentors, name="plan_mentors"),
    path("iap/<int:pk>/uzaicinat/", views.plan_invite, name="plan_invite"),
    path(
        "iap/<int:pk>/uzaicinajumi/<int:invitation_pk>/atsaukt/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("iap/<int:pk>/ligums/", views.plan_contract, name="plan_contract"),
    path("iap/<int:pk>/dokumenti/", views.plan_documents, name="plan_documents"),
    path("iap/<int:pk>/vienosanas.pdf", views.agreement_pdf, name="agreement_pdf"),
    path("iap/<int:pk>/iesniegt/", views.plan_submit, name="plan_submit"),
    path("iap/<int:pk>/lemums/", views.plan_decide, name="plan_decide"),
    path("iap/<int:pk>/stundas/", views.plan_hours, name="plan_hours"),
    path("iap/<int:pk>/partraukt/", views.plan_terminate, name="plan_terminate"),
    path("iap/<int:pk>/pagarinat/", views.plan_extend, name="plan_extend"),
    path("iap/<int:pk>/turpinat/", views.plan_continue, name="plan_continue"),
    path("uzaicinajumi/", views.invitation_list, name="invitations"),
    path("uzaicinajumi/<int:pk>/", views.invitation_detail, name="invitation"),
]
