"""python manage.py bench_indicators — the indicators at national scale, against a hand-written SQL floor.

Fills an otherwise empty PostgreSQL database (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_h4) with
synthetic data using set-based SQL (INSERT ... SELECT generate_series): by default 3,000 counties, 40,000 streets,
120,000 communities with one year of full returns (≈2 million workers, 600,000 premises, 480,000 programs,
≈250,000 allocations). Then times ``compute_indicators`` for the whole country, one province, one county and one
street, and the county dashboard page through the test client; and, as the floor, one hand-written SQL statement that
aggregates the same tables over the same code prefix. Prints milliseconds (median of --repeat runs after a warm-up),
query counts and the ratio to the floor. Existing benchmark data is reused unless --regenerate.
"""

from __future__ import annotations

import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from communities.indicator_engine import compute_indicators
from communities.models import Region, Role, SurveyReturn, User

BENCH_PREFIX = "基准"
# The indexes of communities/0004 and funding/0002.
PREFIX_INDEXES = ["return_year_community_prefix", "allocation_year_unit_prefix"]
TABLES = [
    "services_serviceprogram",
    "funding_allocation",
    "facilities_premises",
    "workforce_worker",
    "communities_surveyreturn",
    "communities_community",
    "communities_region",
]

# County k (0-based) -> its 6-digit code: provinces 11.., 10 cities of 10 counties each.
COUNTY_SQL = (
    "(10 + {k} / 100 + 1)::text || lpad((({k} / 10) %% 10 + 1)::text, 2, '0') || lpad(({k} %% 10 + 1)::text, 2, '0')"
)

GENERATE = [
    # Provinces, cities, counties.
    """INSERT INTO communities_region (code, name)
       SELECT DISTINCT (10 + k / 100 + 1)::text, '{p}省' || (k / 100 + 1)
       FROM generate_series(0, %(counties)s - 1) k""",
    """INSERT INTO communities_region (code, name)
       SELECT DISTINCT substr("""
    + COUNTY_SQL.format(k="k")
    + """, 1, 4), '{p}市' || (k / 10 + 1)
       FROM generate_series(0, %(counties)s - 1) k""",
    """INSERT INTO communities_region (code, name)
       SELECT """
    + COUNTY_SQL.format(k="k")
    + """, '{p}县' || (k + 1) FROM generate_series(0, %(counties)s - 1) k""",
    # Streets: street i belongs to county i % counties, numbered i / counties + 1 (街道 001-099).
    """CREATE TEMP TABLE bench_street AS
       SELECT i, """
    + COUNTY_SQL.format(k="(i %% %(counties)s)")
    + """ || lpad((i / %(counties)s + 1)::text, 3, '0')
              AS code
       FROM generate_series(0, %(streets)s - 1) i""",
    """INSERT INTO communities_region (code, name) SELECT code, '{p}街道' || (i + 1) FROM bench_street""",
    # Communities: community j in street j % streets, numbered j / streets + 1.
    """INSERT INTO communities_community (code, name, community_type, urban_rural_code, street_id)
       SELECT s.code || lpad((j / %(streets)s + 1)::text, 3, '0'), '{p}社区' || (j + 1),
              (ARRAY['urban', 'village_converted', 'town', 'village_merged'])[1 + j %% 4], '111', s.code
       FROM generate_series(0, %(communities)s - 1) j JOIN bench_street s ON s.i = j %% %(streets)s""",
    # One return per community for the year.
    """INSERT INTO communities_surveyreturn (year, status, households, population, neighborhoods, units,
              party_members, volunteers, social_organizations, police_officers, explanation, review_comment,
              version, updated_at, community_id)
       SELECT %(year)s, (ARRAY['draft', 'submitted', 'returned', 'approved'])[1 + h %% 4], 400 + h %% 3600,
              (400 + h %% 3600) * 28 / 10, 1 + h %% 9, 5 + h %% 40, 20 + h %% 200, 30 + h %% 300, h %% 12, h %% 2,
              '', '', 1, now(), code
       FROM (SELECT code, abs(hashtext(code)) AS h FROM communities_community) c""",
    # Workers: 12-21 per return (≈16.5 on average), some left, some seconded.
    """INSERT INTO workforce_worker (survey_return_id, name, id_number, gender, birth_year, education,
              political_status, position, hired_on, left_on, leave_reason, seconded, seconded_to, qualification,
              monthly_pay, monthly_allowance, monthly_social_insurance)
       SELECT r.id, '工作者' || g, '', (ARRAY['male', 'female'])[1 + (g + r.id) %% 2], 1960 + (g * 7 + r.id) %% 40,
              (ARRAY['postgraduate', 'bachelor', 'college', 'high_school', 'junior_or_below'])[1 + (g + r.id) %% 5],
              (ARRAY['cpc', 'cyl', 'masses', 'other'])[1 + (g * 3 + r.id) %% 4],
              CASE g WHEN 1 THEN 'secretary' WHEN 2 THEN 'director' WHEN 3 THEN 'deputy_director'
                     ELSE (ARRAY['full_time', 'grid', 'member'])[1 + (g + r.id) %% 3] END,
              date '2012-01-01' + ((g * 97 + r.id) %% 4000)::int,
              CASE WHEN (g * 31 + r.id) %% 6 = 0
                   THEN date '2012-01-01' + ((g * 97 + r.id) %% 4000)::int + (60 + (g * 13 + r.id) %% 1500)::int END,
              '', (g * 17 + r.id) %% 9 = 0, '',
              (ARRAY['none', 'none', 'assistant', 'social_worker', 'senior'])[1 + (g * 5 + r.id) %% 5],
              1400 + (g * 53 + r.id) %% 2200, (g * 11 + r.id) %% 600, 250 + (g + r.id) %% 150
       FROM communities_surveyreturn r, generate_series(1, 12 + (r.id %% 10)::int) g""",
    # Premises: 5 per return.
    """INSERT INTO facilities_premises (survey_return_id, name, category, function, area, ownership, built_year)
       SELECT r.id, '用房' || g, (ARRAY['office', 'service', 'service', 'outdoor', 'office'])[g], '',
              20 + (g * 41 + r.id) %% 380, '', 2000 + (g + r.id) %% 25
       FROM communities_surveyreturn r, generate_series(1, 5) g""",
    # Service programs: 4 per return.
    """INSERT INTO services_serviceprogram (survey_return_id, name, area, provider, beneficiaries,
              volunteer_visits, funds)
       SELECT r.id, '项目' || g,
              (ARRAY['social_assistance', 'employment', 'elderly', 'minors', 'disability', 'health', 'safety',
                     'culture_education', 'convenience', 'agency'])[1 + (g * 3 + r.id) %% 10],
              (ARRAY['community', 'purchased', 'social_organization', 'volunteer'])[1 + (g + r.id) %% 4],
              50 + (g * 7 + r.id) %% 900, (g + r.id) %% 80, 1000 * ((g + r.id) %% 20)
       FROM communities_surveyreturn r, generate_series(1, 4) g""",
    # Allocations: two per community, one per street, two per county.
    """INSERT INTO funding_allocation (unit_code, year, source, use, budget, received)
       SELECT r.community_id, %(year)s, 'county', u, r.households * (CASE u WHEN 'work' THEN 6 + r.id %% 8 ELSE 40 END),
              r.households * (CASE u WHEN 'work' THEN 5 ELSE 35 END)
       FROM communities_surveyreturn r, unnest(ARRAY['work', 'personnel']) u""",
    """INSERT INTO funding_allocation (unit_code, year, source, use, budget, received)
       SELECT code, %(year)s, 'township', 'public', 50000 + i %% 50000, 40000 FROM bench_street""",
    """INSERT INTO funding_allocation (unit_code, year, source, use, budget, received)
       SELECT code, %(year)s, s, 'premises', 1000000, 800000 FROM communities_region, unnest(ARRAY['county',
              'central_provincial']) s WHERE length(code) = 6""",
    "DROP TABLE bench_street",
]

# The floor: one statement reading every table once over the same code prefix, for the same year.
FLOOR_SQL = """
WITH r AS (
    SELECT id, households, population FROM communities_surveyreturn
    WHERE year = %(year)s AND community_id LIKE %(prefix)s
)
SELECT
    (SELECT count(*) FROM r), (SELECT sum(households) FROM r), (SELECT sum(population) FROM r),
    (SELECT row(count(*), count(*) FILTER (WHERE w.left_on <= %(end)s),
                avg(w.monthly_pay + w.monthly_allowance) FILTER (WHERE w.left_on IS NULL OR w.left_on > %(end)s))
     FROM workforce_worker w JOIN r ON w.survey_return_id = r.id)::text,
    (SELECT row(sum(p.area) FILTER (WHERE p.category = 'office'), sum(p.area) FILTER (WHERE p.category = 'service'))
     FROM facilities_premises p JOIN r ON p.survey_return_id = r.id)::text,
    (SELECT row(count(*), count(*) FILTER (WHERE s.provider IN ('purchased', 'social_organization')))
     FROM services_serviceprogram s JOIN r ON s.survey_return_id = r.id)::text,
    (SELECT sum(budget) FROM funding_allocation WHERE year = %(year)s AND unit_code LIKE %(prefix)s)
"""


class Command(BaseCommand):
    help = "在空的 PostgreSQL 数据库中生成全国规模的模拟数据，计时各级指标计算与县级看板页面，并与手写 SQL 对比。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=2025)
        parser.add_argument("--counties", type=int, default=3000)
        parser.add_argument("--streets", type=int, default=40000)
        parser.add_argument("--communities", type=int, default=120000)
        parser.add_argument("--repeat", type=int, default=5, help="每项计时的重复次数（取中位数）")
        parser.add_argument("--regenerate", action="store_true", help="删除已有的基准数据并重新生成")
        parser.add_argument("--generate-only", action="store_true", help="只生成数据，不计时")
        parser.add_argument(
            "--index-effect", action="store_true", help="另外计时：逐个临时去掉本项目加的前缀索引（事务内，随后回滚）"
        )

    def handle(
        self, *args, year, counties, streets, communities, repeat, regenerate, generate_only, index_effect, **options
    ):
        if connection.vendor != "postgresql":
            raise CommandError("基准测试需要 PostgreSQL：请把 DATABASE_URL 指向一个专用的空数据库，例如 bench_h4。")
        if not (0 < counties <= 8900 and counties <= streets <= communities and streets <= counties * 99):
            raise CommandError("规模参数不合理：需要 0 < 县数 ≤ 8900，县数 ≤ 街道数 ≤ 社区数，且每县不超过99个街道。")
        if Region.objects.exclude(name__startswith=BENCH_PREFIX).exists():
            raise CommandError("该数据库中已有非基准测试数据：为安全起见，请使用一个专用的空数据库。")
        have = SurveyReturn.objects.filter(year=year).count()
        if regenerate or have != communities:
            self._generate(year=year, counties=counties, streets=streets, communities=communities)
        else:
            self.stdout.write(f"沿用已有基准数据：{have} 份年度填报。")
        if not generate_only:
            self._measure(year=year, repeat=repeat)
        if index_effect:
            self._index_effect(year=year, repeat=repeat)

    def _index_effect(self, *, year: int, repeat: int):
        """What each prefix index buys: the county and street figures with the index dropped inside a transaction
        that is rolled back (DROP INDEX is transactional in PostgreSQL)."""
        county = Region.objects.filter(code__regex=r"^[0-9]{6}$").order_by("code").first().code
        street = county + "001"

        def figures() -> str:
            parts = []
            for code in (county, street):
                ms = _median(lambda code=code: compute_indicators(region_code=code, year=year), repeat)
                parts.append(
                    f"{code} 指标 {ms:.1f} ms（底线 {_median(lambda code=code: _floor(code, year), repeat):.1f}）"
                )
            return "；".join(parts)

        self.stdout.write(f"全部索引：{figures()}")
        for name in PREFIX_INDEXES:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(f"DROP INDEX {name}")
                self.stdout.write(f"去掉 {name}：{figures()}")
                transaction.set_rollback(True)

    def _generate(self, **params):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE " + ", ".join(TABLES) + " CASCADE")
            for statement in GENERATE:
                step = time.perf_counter()
                cursor.execute(statement.replace("{p}", BENCH_PREFIX), params)
                self.stdout.write(f"  {statement.split()[0:3]} … {cursor.rowcount} 行，{_ms(step):.0f} ms")
            cursor.execute("ANALYZE " + ", ".join(TABLES))
        self.stdout.write(f"生成完毕，用时 {_ms(started) / 1000:.1f} s。")
        self.stdout.write(_counts())

    def _measure(self, *, year: int, repeat: int):
        county = Region.objects.filter(code__regex=r"^[0-9]{6}$").order_by("code").first()
        if county is None:
            raise CommandError("没有基准数据：请先生成。")
        street = Region.objects.filter(code__startswith=county.code, code__regex=r"^[0-9]{9}$").order_by("code")[0]
        scopes = [("全国", ""), ("省", county.code[:2]), ("县", county.code), ("街道", street.code)]
        self.stdout.write(_counts())
        self.stdout.write(
            "范围 代码 社区数 | 指标(完整名单) ms 查询数 | 指标(名单≤200, 看板用) ms 查询数 | 底线 ms | 倍数(完整/≤200)"
        )
        for label, code in scopes:
            full = lambda code=code: compute_indicators(region_code=code, year=year)  # noqa: E731
            limited = lambda code=code: compute_indicators(region_code=code, year=year, shortfall_limit=200)  # noqa: E731
            communities = full()["communities"]["value"]
            full_ms, limited_ms = _median(full, repeat), _median(limited, repeat)
            floor = _median(lambda code=code: _floor(code, year), repeat)
            self.stdout.write(
                f"{label} {code or '(全部)'} {communities} | {full_ms:.1f} {_count_queries(full)} | "
                f"{limited_ms:.1f} {_count_queries(limited)} | {floor:.1f} | "
                f"{full_ms / floor:.2f} / {limited_ms / floor:.2f}"
            )
        self._measure_dashboard(county.code, year, repeat)

    def _measure_dashboard(self, county_code: str, year: int, repeat: int):
        user, _ = User.objects.get_or_create(
            username="bench_reviewer", defaults={"role": Role.REVIEWER, "region_id": county_code, "is_staff": True}
        )
        with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"], DEBUG=False):
            client = Client()
            client.force_login(user)
            url = reverse("dashboard:index") + f"?year={year}"

            def get():
                response = client.get(url)
                if response.status_code != 200:
                    raise CommandError(f"看板页面返回 {response.status_code}")

            get()
            queries = _count_queries(get)
            ms = _median(get, repeat)
        floor = _median(lambda: _floor(county_code, year), repeat)
        self.stdout.write(
            f"县看板页面 {county_code} | {ms:.1f} ms，{queries} 次查询 | 底线 {floor:.1f} | {ms / floor:.2f}"
        )


def _with_listed_name(statement: str) -> str:
    """A region's insert with its ``listed_name`` (NOT NULL since communities/0008): '' for synthetic units."""
    head = "INSERT INTO communities_region (code, name)"
    if not statement.startswith(head):
        return statement
    return f"INSERT INTO communities_region (code, name, listed_name) SELECT t.*, '' FROM ({statement[len(head) :]}) t"


GENERATE = [_with_listed_name(statement) for statement in GENERATE]


def _floor(code: str, year: int):
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, {"year": year, "prefix": code + "%", "end": f"{year}-12-31"})
        return cursor.fetchone()


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _median(function, repeat: int) -> float:
    function()  # warm-up
    timings = []
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        function()
        timings.append(_ms(started))
    return statistics.median(timings)


def _count_queries(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries)


def _counts() -> str:
    with connection.cursor() as cursor:
        parts = []
        for table in reversed(TABLES):
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [table])
            parts.append(f"{table.split('_', 1)[1]} ≈{cursor.fetchone()[0]:,}")
    return "数据量：" + "，".join(parts)
