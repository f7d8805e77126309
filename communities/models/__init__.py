"""Models of the communities app, one module per topic."""

from .code_changes import ChangeKind, CodeChange
from .comments import FigureComment
from .imports import ImportOutcome, ImportRecord
from .periods import PeriodExtension, Reminder, ReportingPeriod
from .regions import Community, CommunityType, Region, UrbanRuralCode
from .returns import EDITABLE_STATUSES, YEAR_VALIDATORS, ReturnStatus, SurveyReturn
from .rules import FollowUp, FollowUpKind, RuleKind, RuleOperator, Severity, ValidationRule
from .standards import Standard, StandardKey
from .users import Role, User

__all__ = [
    "EDITABLE_STATUSES",
    "YEAR_VALIDATORS",
    "ChangeKind",
    "CodeChange",
    "Community",
    "CommunityType",
    "FigureComment",
    "FollowUp",
    "FollowUpKind",
    "ImportOutcome",
    "ImportRecord",
    "PeriodExtension",
    "Region",
    "Reminder",
    "ReportingPeriod",
    "ReturnStatus",
    "RuleKind",
    "RuleOperator",
    "Severity",
    "Role",
    "Standard",
    "StandardKey",
    "SurveyReturn",
    "UrbanRuralCode",
    "User",
    "ValidationRule",
]
