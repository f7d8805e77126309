"""The survey report: /report/<region code>/<year>/ (printable page) and .../docx/ (Word document)."""

from django.urls import path

from . import views

app_name = "report"
urlpatterns = [
    path("<str:code>/<int:year>/", views.page, name="page"),
    path("<str:code>/<int:year>/docx/", views.docx, name="docx"),
]
