"""Every workbook import, kept: the file, who, when, for which year and region, what it did."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ..constraints import choices_check
from ..scoping import RegionScopedQuerySet
from .returns import YEAR_VALIDATORS


class ImportOutcome(models.TextChoices):
    PREVIEWED = "previewed", "已预览（未导入）"
    IMPORTED = "imported", "已导入"
    REJECTED = "rejected", "有错误，未导入"


class ImportRecordQuerySet(RegionScopedQuerySet):
    region_lookup = "region_code"


class ImportRecord(models.Model):
    # Empty for a file the upload form refused (not an xlsx, too large, a compressed bomb…): its bytes are not kept.
    file = models.FileField("文件", upload_to="imports/%Y/%m/", blank=True)
    original_name = models.CharField("原文件名", max_length=255)
    size = models.PositiveBigIntegerField("文件大小(字节)", default=0)
    sha256 = models.CharField("文件摘要(SHA-256)", max_length=64, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)
    # Empty only for a refused upload whose year was not valid either.
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True, validators=YEAR_VALIDATORS)
    region_code = models.CharField(
        "区划范围", max_length=12, blank=True, help_text="导入人的区划：能看到该区划的用户可查看此记录。"
    )
    outcome = models.CharField("结果", max_length=10, choices=ImportOutcome.choices)
    counts = models.JSONField("各表行数", default=dict, blank=True)
    errors = models.JSONField("错误", default=list, blank=True)
    error_count = models.PositiveIntegerField(
        "错误数", default=0, help_text="全部错误的个数；「错误」最多保存前 100000 处。"
    )
    notices = models.JSONField("提示", default=list, blank=True)
    state_digest = models.CharField(
        "预览时的数据摘要", max_length=64, blank=True, help_text="确认导入时数据若已变化（摘要不同），须重新预览。"
    )

    objects = ImportRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "导入记录"
        verbose_name_plural = "导入记录"
        ordering = ["-created_at"]
        constraints = [choices_check("outcome", ImportOutcome, name="import_outcome_valid", label="导入结果")]

    def __str__(self) -> str:
        return f"{self.original_name}（{self.year}年，{self.get_outcome_display()}）"

    @property
    def has_changes(self) -> bool:
        """Whether the import added, changed or removed any row (a refused one keeps only the rows read)."""
        return any(c.get(kind) for c in (self.counts or {}).values() for kind in ("added", "changed", "removed"))

    @property
    def outcome_label(self) -> str:
        """The outcome as the history shows it: a preview that found nothing to change, or whose file was imported
        afterwards (``imported_as``, annotated by the history's selector), says so."""
        if self.outcome == ImportOutcome.PREVIEWED:
            if getattr(self, "imported_as", None):
                return "已预览（随后已导入）"
            if not self.has_changes:
                return "已预览（无变化，无需导入）"
        return self.get_outcome_display()
