"""JSON endpoints for signed-in users, scoped like everything else."""

from django.urls import path

from . import views

app_name = "api"
urlpatterns = [
    path("", views.index, name="index"),
    path("indicators/", views.indicators, name="indicators"),
    path("standards/", views.standards, name="standards"),
]
