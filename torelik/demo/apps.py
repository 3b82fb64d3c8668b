from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "torelik.demo"
    label = "demo"
