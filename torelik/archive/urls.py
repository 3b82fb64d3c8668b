from django.urls import path

from torelik.archive import views

app_name = "archive"
urlpatterns = [
    path("documents/<str:sha256>/", views.document_page, name="document"),
]
