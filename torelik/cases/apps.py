from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "torelik.cases"
    label = "cases"
