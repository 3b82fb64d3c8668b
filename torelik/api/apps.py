from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "torelik.api"
    label = "api"
