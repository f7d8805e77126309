"""Importing a workbook: read, plan, and — unless it is a dry run or anything is wrong — write it all in one
transaction, with the audit trail (simple-history) written by the bulk writes themselves. Every import is kept
as an ImportRecord: with its file, or (for a file the upload form refused) with its name, size and the reason."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from communities.models import Community, ImportOutcome, ImportRecord, Region, SurveyReturn, User

from .bulk import create_rows, delete_rows, update_rows
from .columns import BASICS_RETURN_FIELDS, CHILD_SHEETS, FUNDING, SHEETS, Sheet
from .ids import mask_id_like
from .plan import Plan, build_plan
from .reader import Problem, WorkbookFileError, read_workbook

logger = logging.getLogger(__name__)

BATCH = 2000
CHANGE_REASON = "导入年度调查表"
MAX_STORED_ERRORS = 100_000  # errors kept on an ImportRecord; error_count says how many there were
DATABASE_REFUSED = (
    "数据库拒绝了这次导入，未导入任何数据。可能是有人同时修改或导入了这些社区的数据：请重新上传并预览；"
    "如仍然不行，请联系管理员（系统已记录详情）。"
)


STALE_PREVIEW_MESSAGE = (
    "预览之后，这些社区的数据已被修改（或文件已变化），为避免覆盖别人的修改，本次未导入：请重新上传并预览。"
)


class StalePreviewError(Exception):
    """The stored data changed between the preview and the confirmation."""


class AlreadyProcessedError(Exception):
    """The record was imported (or refused) already: by an earlier click, or one that ran at the same time."""

    def __init__(self, record: ImportRecord):
        super().__init__(record.pk)
        self.record = record


@dataclass
class ImportResult:
    record: ImportRecord | None
    plan: Plan | None
    file_error: str = ""
    imported: bool = False
    errors: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.errors


def _read_bytes(file) -> bytes:
    if isinstance(file, bytes | bytearray):
        return bytes(file)
    if hasattr(file, "seek"):
        file.seek(0)
    if hasattr(file, "chunks"):
        return b"".join(file.chunks())
    return file.read()


def _region_code(plan: Plan | None, user: User | None) -> str:
    """The region an import record belongs to: the narrowest level shared by the file's communities, never
    wider than the importer's own region."""
    scope = (user.scope_code or "") if user is not None else ""
    codes = plan.codes if plan else []
    prefix = ""
    if codes:
        for length in (9, 6, 4, 2):
            if len({code[:length] for code in codes}) == 1:
                prefix = codes[0][:length]
                break
    return prefix if prefix.startswith(scope) else scope


def _log_database_error(error: DatabaseError, *, year: int, user: User | None) -> None:
    """What the database said, for the administrator: its error code, constraint and table, and its message with
    any ID number masked. Never the DETAIL line (it quotes key values and whole rows) and never a traceback."""
    cause = error.__cause__ or error
    diag = getattr(cause, "diag", None)
    message = (getattr(diag, "message_primary", None) or str(cause).splitlines()[0]) if diag or str(cause) else ""
    logger.error(
        "workbook import refused by the database: %s sqlstate=%s constraint=%s table=%s message=%s year=%s user=%s",
        type(cause).__name__,
        getattr(diag, "sqlstate", None) or getattr(cause, "sqlstate", None),
        getattr(diag, "constraint_name", None),
        getattr(diag, "table_name", None),
        mask_id_like(message),
        year,
        getattr(user, "pk", None),
    )


def workbook_import(
    *,
    file,
    year: int,
    user: User | None,
    dry_run: bool,
    name: str = "",
    expected_digest: str | None = None,
    record: ImportRecord | None = None,
) -> ImportResult:
    """Check the workbook; unless ``dry_run``, import it in one transaction. Never raises for a bad file or bad
    rows: the result carries the Chinese messages. Raises StalePreviewError when ``expected_digest`` (the state a
    preview was computed against) no longer matches, and AlreadyProcessedError when ``record`` (a preview being
    confirmed) is no longer a preview."""
    data = _read_bytes(file)
    name = name or getattr(file, "name", "") or "调查表.xlsx"
    try:
        read = read_workbook(data)
    except WorkbookFileError as error:
        result = ImportResult(record=None, plan=None, file_error=str(error))
        result.record = _record(record, data, name, year, user, None, ImportOutcome.REJECTED, [str(error)])
        return result
    if dry_run:
        plan = build_plan(read, year=year, user=user)
        outcome = ImportOutcome.PREVIEWED if plan.ok else ImportOutcome.REJECTED
        record = _record(record, data, name, year, user, plan, outcome, [])
        return ImportResult(record=record, plan=plan, errors=plan.errors)
    plan = None
    try:
        with transaction.atomic():
            if record is not None:
                # Two confirmations of one preview (a double click) queue here; the second finds it imported.
                locked = ImportRecord.objects.select_for_update().get(pk=record.pk)
                if locked.outcome != ImportOutcome.PREVIEWED:
                    raise AlreadyProcessedError(locked)
            plan = build_plan(read, year=year, user=user, lock=True)
            if expected_digest is not None and plan.digest != expected_digest:
                raise StalePreviewError
            if plan.ok:
                workbook_apply(plan, user=user)
            if record is not None:  # saved with the import, under the lock
                outcome = ImportOutcome.IMPORTED if plan.ok else ImportOutcome.REJECTED
                record = _record(record, data, name, year, user, plan, outcome, [])
    except DatabaseError as error:  # a rule the checks missed: the transaction is rolled back, nothing written
        _log_database_error(error, year=year, user=user)
        plan = plan or build_plan(read, year=year, user=user)
        plan.errors.append(Problem("", None, "", "", DATABASE_REFUSED))
        if record is not None:
            return ImportResult(record=_refuse_preview(record, plan), plan=plan, errors=plan.errors)
    if record is None:
        outcome = ImportOutcome.IMPORTED if plan.ok else ImportOutcome.REJECTED
        record = _record(None, data, name, year, user, plan, outcome, [])
    return ImportResult(record=record, plan=plan, imported=plan.ok, errors=plan.errors)


def workbook_import_confirm(*, record: ImportRecord, user: User) -> ImportResult:
    """Import exactly what the preview of ``record`` showed. Raises StalePreviewError if the data (or the kept
    file) changed since, AlreadyProcessedError if the record is not a preview (any more)."""
    if record.outcome != ImportOutcome.PREVIEWED:
        raise AlreadyProcessedError(record)
    with record.file.open("rb") as stored:
        data = stored.read()
    try:
        if hashlib.sha256(data).hexdigest() != record.sha256:
            raise StalePreviewError
        return workbook_import(
            file=data,
            year=record.year,
            user=user,
            dry_run=False,
            name=record.original_name,
            expected_digest=record.state_digest,
            record=record,
        )
    except StalePreviewError:
        # After the import's rollback: the preview is spent (every later click would fail the same way), so it
        # becomes a refused import that says why — unless another confirmation has finished it meanwhile.
        ImportRecord.objects.filter(pk=record.pk, outcome=ImportOutcome.PREVIEWED).update(
            outcome=ImportOutcome.REJECTED,
            counts={name: {"rows": c.get("rows", 0)} for name, c in (record.counts or {}).items()},
            errors=[_file_problem(STALE_PREVIEW_MESSAGE)],
            error_count=1,
        )
        record.refresh_from_db()
        raise


def workbook_plan_again(*, record: ImportRecord) -> tuple[Plan | None, str]:
    """The plan of a kept upload computed anew (for the full change list): (plan, "") or (None, the reason)."""
    try:
        with record.file.open("rb") as stored:
            data = stored.read()
        read = read_workbook(data)
    except (OSError, ValueError):
        return None, "该导入记录的文件已不存在。"
    except WorkbookFileError as error:
        return None, str(error)
    return build_plan(read, year=record.year, user=record.user), ""


def workbook_record_refused(*, user: User, year: int | None, name: str, size: int, reasons: list[str]) -> ImportRecord:
    """Keep a file that the upload form refused: who, when, the year, its name and size and why — not its bytes."""
    record = ImportRecord(
        original_name=(name or "（无文件名）")[:255],
        size=size,
        user=user,
        year=year,
        region_code=user.scope_code or "",
        outcome=ImportOutcome.REJECTED,
    )
    _set_errors(record, [_file_problem(reason) for reason in reasons])
    record.save()
    return record


def _file_problem(message: str) -> dict:
    return {"sheet": "", "row": None, "column": "", "value": "", "message": message}


def _set_errors(record: ImportRecord, errors: list[dict]) -> None:
    record.error_count = len(errors)
    record.errors = errors[:MAX_STORED_ERRORS]


def _record(record, data, name, year, user, plan: Plan | None, outcome, file_errors) -> ImportRecord:
    errors = [_file_problem(m) for m in file_errors]
    if plan is not None:
        errors += [problem.as_dict() for problem in plan.errors]
    if record is None:
        record = ImportRecord(
            original_name=name[:255],
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            user=user,
            year=year,
        )
        record.file.save(name.rsplit("/", 1)[-1][:100] or "upload.xlsx", ContentFile(data), save=False)
    record.region_code = _region_code(plan, user)
    record.outcome = outcome
    # A refused import changed nothing: it keeps the rows read, not what it would have added or removed.
    refused = outcome == ImportOutcome.REJECTED
    counts = dict(plan.counts) if plan else {}
    record.counts = {name: {"rows": c.get("rows", 0)} for name, c in counts.items()} if refused else counts
    _set_errors(record, errors)
    record.notices = [*plan.warnings, *plan.notices] if plan else []
    record.state_digest = plan.digest if plan else ""
    record.save()
    return record


def _refuse_preview(record: ImportRecord, plan: Plan) -> ImportRecord:
    """A confirmation the database refused: the preview becomes a refused import — unless another confirmation
    has finished it meanwhile."""
    errors = [problem.as_dict() for problem in plan.errors]
    ImportRecord.objects.filter(pk=record.pk, outcome=ImportOutcome.PREVIEWED).update(
        outcome=ImportOutcome.REJECTED,
        counts={name: {"rows": c.get("rows", 0)} for name, c in plan.counts.items()},
        errors=errors[:MAX_STORED_ERRORS],
        error_count=len(errors),
    )
    record.refresh_from_db()
    return record


# -- the writes


def workbook_apply(plan: Plan, *, user: User | None) -> None:
    """Write a checked plan. Call inside a transaction (``workbook_import`` does)."""
    when = timezone.now()
    history = {"default_user": user, "default_date": when, "default_change_reason": CHANGE_REASON}
    user_id = user.pk if user is not None else None

    if plan.new_regions:
        Region.objects.bulk_create(plan.new_regions, batch_size=BATCH)
    for region in plan.renamed_regions:
        Region.objects.filter(pk=region.code).update(name=region.name)
    if plan.new_communities:
        bulk_create_with_history(plan.new_communities, Community, batch_size=BATCH, **history)
    if plan.changed_communities:
        fields = sorted({name for _, names in plan.changed_communities for name in names})
        bulk_update_with_history(
            [c for c, _ in plan.changed_communities], Community, fields, batch_size=BATCH, **history
        )

    for survey_return in plan.new_returns.values():
        survey_return.updated_by_id = user_id
    new_returns = bulk_create_with_history(list(plan.new_returns.values()), SurveyReturn, batch_size=BATCH, **history)
    return_ids = {r.community_id: r.pk for r in new_returns}
    # Any change to a community-year bumps its return's version, so a form opened before the import sees a conflict.
    # The returns were read under select_for_update (build_plan with lock=True), so their version is current.
    touched = {diff.code for diff in plan.diffs if diff.changes and diff.code in plan.returns}
    for code in touched:
        if code not in plan.changed_returns:
            plan.changed_returns[code] = plan.returns[code]
    changed = list(plan.changed_returns.values())
    for survey_return in changed:
        survey_return.version += 1
        survey_return.updated_by_id = user_id
        survey_return.updated_at = when
        return_ids[survey_return.community_id] = survey_return.pk
    if changed:
        fields = [*BASICS_RETURN_FIELDS, "version", "updated_by_id", "updated_at"]
        attnames = [f.attname for f in SurveyReturn._meta.concrete_fields]
        rows = [{name: getattr(r, name) for name in attnames} for r in changed]
        update_rows(SurveyReturn, rows, fields, user=user, when=when, reason=CHANGE_REASON)

    for sheet in (*CHILD_SHEETS, FUNDING):
        writes = plan.writes.get(sheet.name)
        if writes is None:
            continue
        model = sheet.model
        delete_rows(model, writes.deletes, user=user, when=when, reason=CHANGE_REASON)
        updated = []
        fields: set[str] = set()
        for old, record, names in writes.updates:
            row = {k: val for k, val in old.items() if k != "community_code"}
            row.update({name: record[name] for name in names})
            fields.update(names)
            updated.append(row)
        update_rows(model, updated, sorted(fields), user=user, when=when, reason=CHANGE_REASON)
        if sheet is FUNDING:
            created = [{**_fields(sheet, record), "year": plan.year} for _, record in writes.creates]
        else:
            created = [
                {**_fields(sheet, record), "survey_return_id": return_ids[code]} for code, record in writes.creates
            ]
        create_rows(model, created, user=user, when=when, reason=CHANGE_REASON)


def _fields(sheet: Sheet, record: dict) -> dict:
    return {name: record[name] for name in sheet.data_fields}


def _row_counts(diffs) -> str:
    kinds = (("added", "新增"), ("changed", "修改"), ("removed", "删除"))
    counts = [(label, sum(diff.count(kind) for diff in diffs)) for kind, label in kinds]
    return "，".join(f"{label} {n} 行" for label, n in counts if n)


def change_summary(plan: Plan) -> str:
    """What the import changes, by community: only the communities (and higher units' funding) that actually
    change are counted as changed, e.g. "1 个社区有变化（修改 4 行），7 个社区无变化"."""
    communities = [diff for diff in plan.diffs if diff.is_community]
    units = [diff for diff in plan.diffs if not diff.is_community]
    unchanged = len(set(plan.codes) - {diff.code for diff in communities})
    parts = []
    if communities:
        parts.append(f"{len(communities)} 个社区有变化（{_row_counts(communities)}）")
    if units:
        parts.append(f"{len(units)} 个街道(乡镇)或上级单位的经费有变化（{_row_counts(units)}）")
    if unchanged:
        parts.append(f"{unchanged} 个社区无变化" if parts else f"{unchanged} 个社区均无变化")
    return "，".join(parts) or "没有任何变化"


def has_anything_to_import(plan: Plan) -> bool:
    """Whether confirming would write anything: a changed row, a new return, or a street renamed as the workbook
    names it."""
    return plan.has_changes or bool(plan.renamed_regions)


def summary_lines(plan: Plan) -> list[str]:
    """One line per sheet: rows read, added, changed, removed (stored rows the sheet no longer lists), unchanged;
    and a line for each sheet that is not in the workbook (its rows are left alone)."""
    lines = []
    for sheet in SHEETS:
        counts = plan.counts.get(sheet.name)
        if counts is None:
            if sheet is not SHEETS[0]:
                lines.append(f"{sheet.name}：调查表中没有这张表，数据保持不变")
            continue
        lines.append(
            f"{sheet.name}：读取 {counts.get('rows', 0)} 行，新增 {counts.get('added', 0)}，"
            f"修改 {counts.get('changed', 0)}，删除 {counts.get('removed', 0)}（系统中有、表中没有的行），"
            f"未变 {counts.get('unchanged', 0)}"
        )
    return lines
