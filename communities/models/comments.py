"""Comments (批注) on one figure or one row of a return: a thread between the clerk and the reviewer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from ..scoping import RegionScopedQuerySet


class CommentQuerySet(RegionScopedQuerySet):
    region_lookup = "survey_return__community__code"


class FigureComment(models.Model):
    """One comment on a figure of the return's basics (``figure:households``), on one row (``worker:12``,
    ``premises:3``, ``allocation:7``, ``program:5``) or on the whole return (``return``). ``target_label`` keeps
    what the target was called when the comment was written (a row may be renamed or removed later)."""

    survey_return = models.ForeignKey(
        "communities.SurveyReturn", verbose_name="年度填报", on_delete=models.CASCADE, related_name="comments"
    )
    target = models.CharField("批注对象", max_length=60)
    target_label = models.CharField("批注对象名称", max_length=200)
    text = models.TextField("批注内容", max_length=1000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="批注人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("批注时间", auto_now_add=True)

    objects = CommentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "批注"
        verbose_name_plural = "批注"
        ordering = ["survey_return_id", "target", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.target_label}：{self.text[:20]}"
