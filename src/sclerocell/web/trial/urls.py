from django.urls import URLPattern, URLResolver

app_name = "trial"
urlpatterns: list[URLPattern | URLResolver] = []
