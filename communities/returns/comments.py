"""Comments on one figure or one row of a return (批注): the targets a return offers, its threads, and adding one.
Anyone who may see the return may comment on it (its clerks, the reviewers above it, administrators), whatever its
status: a comment changes no data. Every comment is kept with its history (django-simple-history)."""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction

from communities.access import can_see_code
from communities.models import FigureComment, SurveyReturn, User

from .selectors import return_allocations
from .services import BASIC_FIELDS

MAX_LENGTH = 1000


def comment_targets(survey_return: SurveyReturn) -> list[tuple[str, str]]:
    """(target, label) of everything of the return a comment may be attached to: the whole return, each basic
    figure, each row (four queries: the rows)."""
    targets = [("return", "整份填报")]
    targets += [(f"figure:{name}", str(SurveyReturn._meta.get_field(name).verbose_name)) for name in BASIC_FIELDS]
    targets += [(f"worker:{w.pk}", f"社区工作者 {w.name}") for w in survey_return.workers.all()]
    targets += [(f"premises:{p.pk}", f"用房 {p.name}") for p in survey_return.premises.all()]
    targets += [
        (f"allocation:{a.pk}", f"经费 {a.get_source_display()} · {a.get_use_display()}")
        for a in return_allocations(survey_return)
    ]
    targets += [(f"program:{s.pk}", f"服务项目 {s.name}") for s in survey_return.programs.all()]
    return targets


def comment_threads(survey_return: SurveyReturn) -> dict[str, list[FigureComment]]:
    """The return's comments by target, oldest first (one query)."""
    threads: dict[str, list[FigureComment]] = defaultdict(list)
    for comment in survey_return.comments.select_related("author").order_by("created_at", "pk"):
        threads[comment.target].append(comment)
    return dict(threads)


@transaction.atomic
def comment_add(*, survey_return: SurveyReturn, user: User, target: str, text: str) -> FigureComment:
    if not can_see_code(user, survey_return.community_id):
        raise ValidationError("您无权批注该填报。")
    text = (text or "").strip()
    if not text:
        raise ValidationError("请填写批注内容。")
    if len(text) > MAX_LENGTH:
        raise ValidationError(f"批注内容不能超过 {MAX_LENGTH} 字。")
    labels = dict(comment_targets(survey_return))
    if target not in labels:
        raise ValidationError("批注对象不存在（该行可能已被删除），请刷新页面后重新选择。")
    comment = FigureComment(survey_return=survey_return, target=target, target_label=labels[target], text=text)
    comment.author = user
    comment.full_clean()
    comment._history_user = user
    comment.save()
    return comment


def comments_context(survey_return: SurveyReturn) -> dict:
    """What the review page shows: the threads (in the order of the targets, those of removed rows last), the
    targets to choose from, and the number of comments on each basic figure (shown beside it)."""
    threads = comment_threads(survey_return)
    targets = comment_targets(survey_return)
    labels = dict(targets)
    ordered = [(t, labels[t], threads[t]) for t, _ in targets if t in threads]
    ordered += [(t, items[0].target_label + "（已删除）", items) for t, items in threads.items() if t not in labels]
    return {
        "threads": ordered,
        "targets": targets,
        "on_figures": {
            t.removeprefix("figure:"): len(items) for t, items in threads.items() if t.startswith("figure:")
        },
    }
