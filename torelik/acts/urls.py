from django.urls import path

from torelik.acts import views

app_name = "acts"
urlpatterns = [
    path("", views.judge_cases, name="judge_cases"),
    path("cases/<int:case_id>/", views.judge_case, name="judge_case"),
    path("cases/<int:case_id>/new/", views.new_act, name="new_act"),
    path("<int:act_id>/", views.act_page, name="act"),
    path("<int:act_id>/preview.pdf", views.preview_pdf, name="preview_pdf"),
    path("<int:act_id>/signing-data/", views.signing_data, name="signing_data"),
    path("<int:act_id>/sign/", views.sign, name="sign"),
    path("<int:act_id>/download/", views.download, name="download"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify_code, name="verify_code"),
]
