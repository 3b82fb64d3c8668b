from django.apps import AppConfig


class KernelConfig(AppConfig):
    name = "torelik.kernel"
    label = "kernel"
