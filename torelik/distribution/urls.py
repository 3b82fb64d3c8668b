from django.urls import path

from torelik.distribution import report_views, views

app_name = "distribution"
urlpatterns = [
    path("", views.public, name="public"),
    path("report.json", views.report_json, name="report_json"),
    path("report.pdf", report_views.report_pdf, name="report_pdf"),
    path("staff/", views.staff_reports, name="staff"),
    path("staff/verify/", views.verify_page, name="verify"),
    path("staff/case/", views.case_page, name="case"),
    path("staff/records/", views.records_page, name="records"),
    path("staff/records/<int:record_id>/", views.record_page, name="record"),
    path("staff/manual-assignment/", views.manual_assignment, name="manual_assignment"),
    path("staff/redistribution/", views.redistribution, name="redistribution"),
    path("staff/absences/", views.absences, name="absences"),
    path("staff/absences/<int:absence_id>/cancel/", views.cancel_absence, name="cancel_absence"),
    path("staff/recusals/", views.recusals, name="recusals"),
    path("staff/recusals/<int:recusal_id>/", views.decide_recusal, name="decide_recusal"),
]
