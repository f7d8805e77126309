"""What each role may do, as Django permissions: the one table the RoleBackend reads.

Where a user may do it is decided separately, by the region prefix (``communities/scoping.py``).
"""

from .models import Role

SURVEY_DATA = ("workforce.worker", "facilities.premises", "funding.allocation", "services.serviceprogram")


def _perms(model: str, *actions: str) -> set[str]:
    app_label, model_name = model.split(".")
    return {f"{app_label}.{action}_{model_name}" for action in actions}


ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.CLERK: frozenset(
        set().union(
            *(_perms(model, "view", "add", "change", "delete") for model in SURVEY_DATA),
            _perms("communities.surveyreturn", "view", "add", "change"),
            _perms("communities.community", "view"),
            _perms("communities.region", "view"),
            _perms("communities.standard", "view"),
            _perms("communities.importrecord", "view", "add"),
        )
    ),
    Role.REVIEWER: frozenset(
        set().union(
            *(_perms(model, "view") for model in SURVEY_DATA),
            _perms("communities.surveyreturn", "view", "review"),
            _perms("communities.community", "view"),
            _perms("communities.region", "view"),
            _perms("communities.standard", "view", "add", "change", "delete"),
            # 区划变更 are recorded by administrators; reviewers see those of their region (why a code is refused).
            _perms("communities.codechange", "view"),
            _perms("communities.validationrule", "view", "add", "change", "delete"),
            _perms("communities.importrecord", "view", "add"),
        )
    ),
}
