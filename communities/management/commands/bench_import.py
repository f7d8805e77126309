"""python manage.py bench_import --communities 2000: time the workbook import against its floor.

Generates a valid workbook for a made-up county (code 990101, which no real data uses) — per community 20
workers, 5 premises, 4 allocations and 5 programs — then times: the raw read of the file with openpyxl in
read-only mode (the floor), the dry run, the import into an empty region, the re-import of the same file, and an
import in which a tenth of the workers' pay changed. It prints rows/s, the ratio to the floor and each stage's own
peak memory, and removes everything it wrote (survey rows, their history, the regions and import records).

Each stage runs in a child process forked for it, which reports its time, its result and its peak resident set
(``ru_maxrss``): so a stage's peak is its own, not the high-water mark of the stages before it. The child shares
the parent's pages (Django, the generated file) and counts those it touches; the parent's own resident set at the
fork is printed beside it.
"""

from __future__ import annotations

import io
import json
import os
import random
import resource
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from openpyxl import Workbook, load_workbook
from simple_history.utils import get_history_model_for_model

from communities.models import Community, ImportRecord, Region, SurveyReturn
from communities.workbook.columns import SHEETS
from communities.workbook.services import workbook_import
from facilities.models import Premises
from funding.models import Allocation
from services.models import ServiceProgram
from workforce.models import Worker
from workforce.validators import id_number_check_char

COUNTY = "990101"
YEAR = 2025
PER_STREET = 100
# The tables an import writes (the survey rows and their history), settled after the first import.
SURVEY_MODELS = (Community, SurveyReturn, Worker, Premises, Allocation, ServiceProgram)


def _rss_mb() -> float:
    """This process's resident set now (Linux), in MB."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_child(func) -> dict:
    """Run ``func`` in a forked child: {"value", "seconds", "peak_mb", "parent_mb"}; the child's own database
    connection (the parent's are closed first, never shared across the fork)."""
    connections.close_all()
    parent_mb = _rss_mb()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        try:
            start = time.perf_counter()
            value = func()
            report = {"value": value, "seconds": time.perf_counter() - start}
        except BaseException as error:  # reported to the parent, which fails the run
            report = {"error": f"{type(error).__name__}: {error}"}
        finally:
            connections.close_all()
        report["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with os.fdopen(write_end, "w") as pipe:
            json.dump(report, pipe)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        text = pipe.read()
    os.waitpid(pid, 0)
    report = json.loads(text) if text else {"error": "the child process ended without a report"}
    if "error" in report:
        raise CommandError(report["error"])
    report["parent_mb"] = parent_mb
    return report


def generate(communities: int, *, seed: int = 1, changed_share: float = 0.0) -> bytes:
    """A valid workbook: ``communities`` communities and their rows; ``changed_share`` of the workers' pay
    raised by 100 元 (for the update run)."""
    rng = random.Random(seed)
    change = random.Random(seed + 1)
    wb = Workbook(write_only=True)
    sheets = {sheet.name: wb.create_sheet(sheet.name) for sheet in SHEETS}
    for sheet in SHEETS:
        sheets[sheet.name].append([column.header for column in sheet.columns])
    positions = ["书记兼主任", "副书记", "副主任", "委员", "专职社区工作者", "网格员"]
    education = ["研究生", "本科", "大专", "高中(中专)", "初中及以下"]
    functions = ["一站式服务大厅", "党员活动室", "老年活动室", "文体活动室", "文化广场"]
    areas = ["社会救助", "就业服务", "为老服务", "未成年人服务", "助残服务", "卫生健康", "文体教育", "便民服务"]
    for n in range(communities):
        street_no, community_no = divmod(n, PER_STREET)
        street = f"{COUNTY}{street_no + 1:03d}"
        code = f"{street}{community_no + 1:03d}"
        households = rng.randint(500, 4000)
        sheets["社区基本情况"].append(
            [
                code,
                f"测试社区{n + 1}",
                f"测试街道{street_no + 1}",
                "城市社区",
                "111",
                households,
                households * 3,
                rng.randint(1, 20),
                rng.randint(0, 50),
                rng.randint(20, 200),
                rng.randint(0, 500),
                rng.randint(0, 20),
                rng.randint(0, 3),
            ]
        )
        for w in range(20):
            birth = rng.randint(1960, 2000)
            first17 = f"{COUNTY}{birth}0101{(n * 20 + w) % 1000:03d}"
            id_number = first17 + id_number_check_char(first17) if w % 2 == 0 else None
            left = f"{YEAR}-06-30" if w == 19 else None
            pay = 1400 + 10 * rng.randint(0, 100)
            if changed_share and change.random() < changed_share:
                pay += 100
            sheets["社区工作者"].append(
                [
                    code,
                    f"工作者{n}-{w}",
                    id_number,
                    "女" if w % 3 else "男",
                    birth,
                    rng.choice(education),
                    "中共党员" if w % 2 else "群众",
                    positions[0] if w == 0 else rng.choice(positions[1:]),
                    f"{rng.randint(2005, 2024)}-03-01",
                    left,
                    "辞职" if left else None,
                    "是" if w == 7 else "否",
                    "街道办" if w == 7 else None,
                    "无",
                    pay,
                    500,
                    300,
                ]
            )
        for p in range(5):
            category = "室外场地" if p == 4 else ("办公用房" if p == 0 else "公共服务用房")
            sheets["办公服务用房"].append(
                [code, f"用房{p + 1}", category, functions[p], 20 + rng.randint(0, 400), "自建", 2000 + p]
            )
        for source, use in (
            ("县级财政", "工作经费"),
            ("县级财政", "人员报酬"),
            ("乡镇(街道)财政", "公用经费"),
            ("社区自筹", "服务项目"),
        ):
            budget = rng.randint(1, 500) / 100
            sheets["经费"].append([code, source, use, budget, budget])
        for p in range(5):
            sheets["服务项目"].append(
                [
                    code,
                    f"项目{p + 1}",
                    areas[p],
                    "社区自办" if p % 2 else "政府购买服务",
                    rng.randint(10, 900),
                    rng.randint(0, 100),
                    rng.randint(0, 50) / 10,
                ]
            )
    stream = io.BytesIO()
    wb.save(stream)
    return stream.getvalue()


def read_floor(data: bytes) -> int:
    """Read every cell of every sheet with openpyxl in read-only mode, doing nothing with it."""
    rows = 0
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    for ws in wb.worksheets:
        for _ in ws.iter_rows(values_only=True):
            rows += 1
    wb.close()
    return rows - len(wb.sheetnames)


def cleanup() -> None:
    """Remove everything under the made-up county: survey rows and their history, regions, import records."""
    returns = list(SurveyReturn.objects.filter(community__code__startswith=COUNTY).values_list("pk", flat=True))
    for model in (Worker, Premises, ServiceProgram):
        for start in range(0, len(returns), 5000):
            chunk = returns[start : start + 5000]
            model.objects.filter(survey_return_id__in=chunk)._raw_delete(connection.alias)
            history = get_history_model_for_model(model)
            history.objects.filter(survey_return_id__in=chunk)._raw_delete(connection.alias)
    Allocation.objects.filter(unit_code__startswith=COUNTY)._raw_delete(connection.alias)
    get_history_model_for_model(Allocation).objects.filter(unit_code__startswith=COUNTY)._raw_delete(connection.alias)
    SurveyReturn.objects.filter(community__code__startswith=COUNTY)._raw_delete(connection.alias)
    codes = list(Community.objects.filter(code__startswith=COUNTY).values_list("code", flat=True))
    for start in range(0, len(codes), 5000):
        get_history_model_for_model(SurveyReturn).objects.filter(
            community_id__in=codes[start : start + 5000]
        )._raw_delete(connection.alias)
    Community.objects.filter(code__startswith=COUNTY)._raw_delete(connection.alias)
    get_history_model_for_model(Community).objects.filter(code__startswith=COUNTY)._raw_delete(connection.alias)
    Region.objects.filter(code__startswith=COUNTY[:2]).delete()
    for record in ImportRecord.objects.filter(region_code__startswith=COUNTY[:2]):
        record.file.delete(save=False)
        record.delete()


class Command(BaseCommand):
    help = "年度调查表导入的性能基准：生成调查表，计时读取下限、预览、首次导入、重复导入和部分修改后的导入。"

    def add_arguments(self, parser):
        parser.add_argument("--communities", type=int, default=2000)
        parser.add_argument("--skip-update", action="store_true", help="不测部分修改后的导入")

    def _time(self, label, func, rows, floor=None):
        report = in_child(func)
        seconds = report["seconds"]
        ratio = f"，{seconds / floor:.2f}× 下限" if floor else ""
        self.stdout.write(
            f"{label:<28}{seconds:8.2f} s  {rows / seconds:10,.0f} 行/秒{ratio}  "
            f"峰值内存 {report['peak_mb']:,.0f} MB（本阶段的子进程；主进程 {report['parent_mb']:,.0f} MB）"
        )
        return report["value"], seconds

    def _settle(self):
        """After the first import wrote every row (and its history), PostgreSQL's autovacuum and autoanalyze start on
        those tables and would run during the next stage, which then measures them too. A re-import happens days
        after the first one, when they are done: do them now, and say how long they took."""
        if connection.vendor != "postgresql":
            return
        start = time.perf_counter()
        tables = [m._meta.db_table for model in SURVEY_MODELS for m in (model, get_history_model_for_model(model))]
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE " + ", ".join(tables))
        self.stdout.write(f"    （VACUUM ANALYZE 新写入的表，{time.perf_counter() - start:.1f} s，不计入各阶段）")

    def handle(self, *args, communities, skip_update, **options):
        cleanup()
        self.stdout.write(f"数据库：{connection.vendor}；社区 {communities} 个")
        start = time.perf_counter()
        data = generate(communities)
        self.stdout.write(f"生成调查表 {len(data) / 1024 / 1024:.1f} MB，用时 {time.perf_counter() - start:.1f} s")
        rows = read_floor(data)
        self.stdout.write(f"数据行 {rows:,}")
        try:
            _, floor = self._time("读取下限（openpyxl 只读）", lambda: read_floor(data), rows)

            def run(dry_run, payload=data):
                """The import's totals (each stage in its own child process, so its peak memory is its own)."""
                result = workbook_import(file=payload, name="bench.xlsx", year=YEAR, user=None, dry_run=dry_run)
                assert result.ok, (result.file_error, [str(p) for p in result.errors[:5]])
                return result.plan.totals()

            self._time("预览（dry run）", lambda: run(True), rows, floor)
            totals, _ = self._time("首次导入（空库）", lambda: run(False), rows, floor)
            self.stdout.write(f"    新增 {totals['added']:,} 行")
            if totals["added"] != rows:
                raise CommandError(f"首次导入只新增了 {totals['added']} 行，应为 {rows} 行。")
            self._settle()
            totals, _ = self._time("重复导入（未变）", lambda: run(False), rows, floor)
            if totals["added"] or totals["changed"] or totals["removed"]:
                raise CommandError(f"重复导入应不新增、不修改、不删除任何行，实际：{totals}")
            if not skip_update:
                changed = generate(communities, changed_share=0.1)
                totals, _ = self._time("导入（一成工作者报酬有变）", lambda: run(False, changed), rows, floor)
                self.stdout.write(f"    修改 {totals['changed']:,} 行")
                if not totals["changed"] or totals["added"] or totals["removed"]:
                    raise CommandError(f"部分修改后的导入应只有修改，实际：{totals}")
        finally:
            cleanup()
