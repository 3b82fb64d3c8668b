from django.apps import AppConfig


class SignaturesConfig(AppConfig):
    name = "torelik.signatures"
    label = "signatures"
