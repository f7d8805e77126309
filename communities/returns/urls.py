from django.urls import path

from . import views

app_name = "returns"
urlpatterns = [
    path("", views.workspace, name="workspace"),
]
