"""Data entry, review and approval of the yearly returns."""

from django.urls import path

from . import views

app_name = "returns"
urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("review/", views.queue, name="queue"),
    path("<str:code>/<int:year>/", views.detail, name="detail"),
    path("<str:code>/<int:year>/start/", views.start, name="start"),
    path("<str:code>/<int:year>/edit/", views.edit, name="edit"),
    path("<str:code>/<int:year>/submit/", views.submit, name="submit"),
    path("<str:code>/<int:year>/approve/", views.approve, name="approve"),
    path("<str:code>/<int:year>/send-back/", views.send_back, name="send_back"),
    path("<str:code>/<int:year>/reopen/", views.reopen, name="reopen"),
    path("<str:code>/<int:year>/withdraw/", views.withdraw, name="withdraw"),
    path("<str:code>/<int:year>/history/", views.history, name="history"),
]
