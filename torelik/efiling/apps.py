from django.apps import AppConfig


class EfilingConfig(AppConfig):
    name = "torelik.efiling"
    label = "efiling"
