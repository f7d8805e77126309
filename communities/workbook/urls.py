from django.urls import path

from . import views

app_name = "workbook"
urlpatterns = [
    path("", views.index, name="index"),
]
