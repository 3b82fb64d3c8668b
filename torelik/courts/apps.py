from django.apps import AppConfig


class CourtsConfig(AppConfig):
    name = "torelik.courts"
    label = "courts"
