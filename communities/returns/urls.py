"""Data entry, review and approval of the yearly returns, and the reporting cycle around them."""

from django.urls import path

from . import comment_views, cycle_views, followup_views, rule_views, views

app_name = "returns"
urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("submit-many/", cycle_views.submit_many, name="submit_many"),
    path("review/", views.queue, name="queue"),
    path("review/approve-many/", cycle_views.approve_many, name="approve_many"),
    path("periods/", cycle_views.periods, name="periods"),
    path("periods/<int:pk>/extend/", cycle_views.period_extend, name="period_extend"),
    path("periods/<int:pk>/close/", cycle_views.period_close, name="period_close"),
    path("progress/", cycle_views.progress_page, name="progress"),
    path("progress/download/", cycle_views.progress_download, name="progress_download"),
    path("progress/remind/", cycle_views.remind, name="remind"),
    path("follow-up/", followup_views.follow_up_page, name="followup"),
    path("follow-up/mark/", followup_views.follow_up_mark, name="followup_mark"),
    path("follow-up/download/", followup_views.follow_up_download, name="followup_download"),
    path("rules/", rule_views.rules_page, name="rules"),
    path("rules/new/", rule_views.rule_new, name="rule_new"),
    path("rules/<int:pk>/edit/", rule_views.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/delete/", rule_views.rule_delete, name="rule_delete"),
    path("<str:code>/<int:year>/", views.detail, name="detail"),
    path("<str:code>/<int:year>/start/", views.start, name="start"),
    path("<str:code>/<int:year>/edit/", views.edit, name="edit"),
    path("<str:code>/<int:year>/submit/", views.submit, name="submit"),
    path("<str:code>/<int:year>/approve/", views.approve, name="approve"),
    path("<str:code>/<int:year>/send-back/", views.send_back, name="send_back"),
    path("<str:code>/<int:year>/reopen/", views.reopen, name="reopen"),
    path("<str:code>/<int:year>/withdraw/", views.withdraw, name="withdraw"),
    path("<str:code>/<int:year>/history/", views.history, name="history"),
    path("<str:code>/<int:year>/comments/", comment_views.comment, name="comment"),
]
