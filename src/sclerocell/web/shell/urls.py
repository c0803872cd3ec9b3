from django.urls import path

from . import views

app_name = "shell"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
