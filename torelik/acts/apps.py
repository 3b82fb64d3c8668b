from django.apps import AppConfig


class ActsConfig(AppConfig):
    name = "torelik.acts"
    label = "acts"
