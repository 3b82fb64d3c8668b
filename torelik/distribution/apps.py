from django.apps import AppConfig


class DistributionConfig(AppConfig):
    name = "torelik.distribution"
    label = "distribution"
