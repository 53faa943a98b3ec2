from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("izvertesanas/", views.my_evaluations, name="mine"),
    path("iap/<id:pk>/izvertesana/", views.plan_evaluation, name="plan"),
    path("iap/<id:pk>/izvertesana/sakt/", views.evaluation_start, name="start"),
    path("iap/<id:pk>/izvertesana/lemums/", views.decision_record, name="decide"),
    path("iap/<id:pk>/slegt/", views.plan_close, name="close"),
]
