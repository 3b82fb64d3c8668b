from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "torelik.identity"
    label = "identity"
