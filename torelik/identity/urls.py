from django.urls import path

from torelik.identity import views

app_name = "identity"
urlpatterns = [
    path("login/", views.login_page, name="login"),
    path("challenge/", views.challenge, name="challenge"),
    path("login/eds/", views.login_eds, name="login_eds"),
    path("login/staff/", views.login_staff, name="login_staff"),
    path("logout/", views.logout, name="logout"),
]
