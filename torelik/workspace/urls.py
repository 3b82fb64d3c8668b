from django.urls import path

from torelik.workspace import views

app_name = "workspace"
urlpatterns = [
    path("intake/", views.intake_queue_page, name="intake_queue"),
    path("intake/<int:submission_id>/", views.review, name="review"),
    path("intake/<int:submission_id>/decide/", views.decide, name="decide"),
    path("intake/<int:submission_id>/documents/<int:document_id>/", views.document, name="document"),
    path("cases/", views.cases_page, name="cases"),
    path("cases/<int:case_id>/", views.case_page, name="case"),
    path("cases/<int:case_id>/steps/<slug:code>/", views.perform_step, name="step"),
]
