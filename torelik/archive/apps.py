from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "torelik.archive"
    label = "archive"
