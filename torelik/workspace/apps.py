from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "torelik.workspace"
    label = "workspace"
