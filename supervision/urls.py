from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("supervizijas/", views.session_list, name="list"),
    path("supervizijas/jauna/", views.session_new, name="new"),
    path("supervizijas/<id:pk>/", views.session_detail, name="detail"),
    path("supervizijas/<id:pk>/pieteikties/", views.signup_create, name="signup"),
    path("supervizijas/<id:pk>/atteikt/", views.signup_cancel, name="cancel"),
    path("supervizijas/<id:pk>/apmeklejums/", views.attendance_mark, name="attendance"),
]
