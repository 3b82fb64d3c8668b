from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "torelik.notices"
    label = "notices"
