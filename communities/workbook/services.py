"""Importing a workbook: read, plan, and — unless it is a dry run or anything is wrong — write it all in one
transaction, with the audit trail (simple-history) written by the bulk writes themselves. Every import is kept
as an ImportRecord with its file."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from communities.models import Community, ImportOutcome, ImportRecord, Region, SurveyReturn, User

from .bulk import create_rows, delete_rows, update_rows
from .columns import BASICS_RETURN_FIELDS, CHILD_SHEETS, FUNDING, SHEETS, Sheet
from .plan import Plan, build_plan
from .reader import Problem, WorkbookFileError, read_workbook

BATCH = 2000
CHANGE_REASON = "导入年度调查表"


class StalePreviewError(Exception):
    """The stored data changed between the preview and the confirmation."""


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
    preview was computed against) no longer matches."""
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
        imported = False
    else:
        try:
            with transaction.atomic():
                plan = build_plan(read, year=year, user=user)
                if expected_digest is not None and plan.digest != expected_digest:
                    raise StalePreviewError
                if plan.ok:
                    workbook_apply(plan, user=user)
            imported = plan.ok
        except (IntegrityError, DatabaseError) as error:  # a rule the checks missed: nothing was written
            plan = plan if "plan" in locals() else build_plan(read, year=year, user=user)
            plan.errors.append(Problem("", None, "", "", f"数据库拒绝了这次导入，未导入任何数据：{error}"))
            imported = False
    outcome = ImportOutcome.IMPORTED if imported else (ImportOutcome.PREVIEWED if plan.ok else ImportOutcome.REJECTED)
    result = ImportResult(record=None, plan=plan, imported=imported, errors=plan.errors)
    result.record = _record(record, data, name, year, user, plan, outcome, [])
    return result


def workbook_import_confirm(*, record: ImportRecord, user: User) -> ImportResult:
    """Import exactly what the preview of ``record`` showed, or raise StalePreviewError if the data changed."""
    with record.file.open("rb") as stored:
        data = stored.read()
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


def _record(record, data, name, year, user, plan: Plan | None, outcome, file_errors) -> ImportRecord:
    errors = [{"sheet": "", "row": None, "column": "", "value": "", "message": m} for m in file_errors]
    if plan is not None:
        errors += [problem.as_dict() for problem in plan.errors]
    if record is None:
        record = ImportRecord(
            original_name=name[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            user=user,
            year=year,
        )
        record.file.save(name.rsplit("/", 1)[-1][:100] or "upload.xlsx", ContentFile(data), save=False)
    record.region_code = _region_code(plan, user)
    record.outcome = outcome
    record.counts = dict(plan.counts) if plan else {}
    record.errors = errors[:1000]
    record.notices = plan.notices if plan else []
    record.state_digest = plan.digest if plan else ""
    record.save()
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
    touched = {diff.code for diff in plan.diffs if diff.changes and diff.code in plan.codes}
    for code in touched - set(plan.new_returns):
        survey_return = plan.changed_returns.get(code)
        if survey_return is None:
            survey_return = plan.changed_returns[code] = plan.returns[code]
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


def summary_lines(plan: Plan) -> list[str]:
    """One line per sheet: rows read, added, changed, removed, unchanged."""
    lines = []
    for sheet in SHEETS:
        counts = plan.counts.get(sheet.name)
        if counts is None:
            continue
        lines.append(
            f"{sheet.name}：读取 {counts.get('rows', 0)} 行，新增 {counts.get('added', 0)}，"
            f"修改 {counts.get('changed', 0)}，删除 {counts.get('removed', 0)}，未变 {counts.get('unchanged', 0)}"
        )
    return lines
