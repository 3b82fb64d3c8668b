from django.urls import URLPattern

app_name = "acts"
urlpatterns: list[URLPattern] = []
