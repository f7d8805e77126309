from django.urls import path

from . import views

app_name = "workbook"
urlpatterns = [
    path("", views.index, name="index"),
    path("template/", views.template, name="template"),
    path("export/", views.export, name="export"),
    path("upload/", views.upload, name="upload"),
    path("imports/", views.history, name="history"),
    path("imports/<int:pk>/", views.detail, name="detail"),
    path("imports/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("imports/<int:pk>/file/", views.download, name="download"),
    path("imports/<int:pk>/errors.xlsx", views.errors, name="errors"),
    path("imports/<int:pk>/changes.xlsx", views.changes, name="changes"),
]
