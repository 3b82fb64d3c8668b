from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "torelik.portal"
    label = "portal"
