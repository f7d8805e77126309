"""The reviewer's dashboards: indicators, standards and charts at every level of the region tree."""

from django.urls import path, re_path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("xlsx/", views.download, name="download"),
    path("standards/", views.standards, name="standards"),
    re_path(r"^(?P<code>[0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})/$", views.region, name="region"),
]
