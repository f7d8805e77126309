"""Rules for division codes, shared by models, forms and the workbook import."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .codes import COMMUNITY_CODE_RE, REGION_CODE_RE, UNIT_CODE_RE, zero_part_problem


def _validate_parts(value: str) -> None:
    problem = zero_part_problem(value)
    if problem:
        raise ValidationError(problem, code="zero_part")


def validate_region_code(value: str) -> None:
    if not REGION_CODE_RE.match(value or ""):
        raise ValidationError(
            _("区划代码应为 2、4、6 或 9 位数字（省、市、县、街道/乡镇），收到“%(value)s”。"),
            params={"value": value},
            code="region_code",
        )
    _validate_parts(value)


def validate_community_code(value: str) -> None:
    if not COMMUNITY_CODE_RE.match(value or ""):
        raise ValidationError(
            _("社区代码应为 12 位数字，收到“%(value)s”。"), params={"value": value}, code="community_code"
        )
    _validate_parts(value)


def validate_unit_code(value: str) -> None:
    if not UNIT_CODE_RE.match(value or ""):
        raise ValidationError(
            _("单位代码应为 2、4、6、9 或 12 位数字，收到“%(value)s”。"), params={"value": value}, code="unit_code"
        )
    _validate_parts(value)
