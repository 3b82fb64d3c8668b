from django.urls import path

from torelik.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("submissions/", views.my_submissions, name="my_submissions"),
    path("submissions/new/", views.new_submission, name="new_submission"),
    path("submissions/<int:submission_id>/", views.submission_page, name="submission"),
    path("submissions/<int:submission_id>/status/", views.submission_status, name="submission_status"),
    path("submissions/<int:submission_id>/documents/", views.upload_document, name="upload_document"),
    path(
        "submissions/<int:submission_id>/documents/<int:document_id>/", views.document_bytes, name="document"
    ),
    path(
        "submissions/<int:submission_id>/documents/<int:document_id>/remove/",
        views.remove_document,
        name="remove_document",
    ),
    path("submissions/<int:submission_id>/signing-payload/", views.signing_payload, name="signing_payload"),
    path("submissions/<int:submission_id>/submit/", views.submit, name="submit"),
    path("submissions/<int:submission_id>/pay/", views.pay, name="pay"),
    path("submissions/<int:submission_id>/receipt/", views.receipt, name="receipt"),
    path("submissions/<int:submission_id>/receipt.pdf", views.receipt_as_pdf, name="receipt_pdf"),
    path("cases/<path:number>/appeal/", views.new_review, name="new_review"),
    path("cases/<path:number>/", views.case_page, name="case"),
]
