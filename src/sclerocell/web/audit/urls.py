from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "audit"
urlpatterns: list[URLPattern | URLResolver] = [
    path("participant/<str:ref>/", views.participant_trail, name="participant"),
    path("participant/<str:ref>/export.csv", views.participant_trail_csv, name="participant_csv"),
]
