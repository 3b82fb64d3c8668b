from django.urls import path

from torelik.distribution import views

app_name = "distribution"
urlpatterns = [
    path("", views.public, name="public"),
    path("report.json", views.report_json, name="report_json"),
    path("staff/", views.staff_reports, name="staff"),
]
