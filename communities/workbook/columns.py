"""The sheets and columns of the yearly survey workbook (年度调查表), defined once.

The upload, the command line, the template and export writers and the admin's import/export
(``<app>/resources.py``) all read these definitions: a header, the model field it fills, whether it is required,
how a cell is parsed (``values.py``) and how a stored value is written back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from django.db import models

from communities.models import (
    ChangeKind,
    CodeChange,
    Community,
    CommunityType,
    Region,
    Standard,
    StandardKey,
    SurveyReturn,
    UrbanRuralCode,
)
from facilities.models import Category, Function, Ownership, Premises
from funding.models import Allocation, Source, Use
from services.models import Provider, ServiceArea, ServiceProgram
from workforce.models import Education, Gender, PoliticalStatus, Position, Qualification, Worker
from workforce.validators import is_valid_id_number

from . import values as v
from .ids import NEED_FULL_ID, is_masked, mask_key
from .values import CellError, Enumeration


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str  # code, text, int, decimal, money, date, enum, bool
    required: bool = False
    parse: Callable[[Any], Any] = v.cell_text
    render: Callable[[Any], Any] = lambda value: value
    empty: Any = None  # the value of an empty optional cell
    options: tuple[str, ...] = ()  # the drop-down list of an enumerated column
    help: str = ""  # what the column means, for 填报说明
    minimum: Any = None  # numbers: the allowed range, in the workbook's unit
    maximum: Any = None
    max_length: int | None = None  # text

    @property
    def is_text(self) -> bool:
        return self.kind in ("code", "text", "enum", "bool")

    def describe(self) -> str:
        """The column's line in 填报说明: its meaning and what may be typed into it."""
        parts = [self.help] if self.help else []
        if self.kind == "int":
            parts.append(f"整数，{v.range_text(self.minimum, self.maximum)}")
        elif self.kind == "decimal":
            parts.append(f"数字（最多 2 位小数；千位分隔符可用逗号，小数点用“.”），{v.range_text(0, self.maximum)}")
        elif self.kind == "money":
            parts.append(f"单位万元（最多 6 位小数，即精确到分），{v.range_text(0, self.maximum, '万元')}")
        elif self.kind == "text":
            parts.append(f"文字，最多 {self.max_length} 个字")
        elif self.kind == "enum" and not all(option in self.help for option in self.options):
            parts.append("可选：" + "、".join(self.options))
        if not self.required:
            parts.append("可留空")
        return "；".join(parts) + "。"


@dataclass(frozen=True)
class Sheet:
    name: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    key_fields: tuple[str, ...]  # what identifies a row (for duplicates and for matching stored rows)
    help: str = ""
    by_header: dict[str, Column] = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "by_header", {v.normalise_header(c.header): c for c in self.columns})

    @property
    def required_headers(self) -> list[str]:
        return [c.header for c in self.columns if c.required]

    @property
    def data_fields(self) -> list[str]:
        """The model fields the sheet sets (everything but the community code)."""
        return [c.field for c in self.columns if c.field not in ("community_code", "street_name")]

    def column(self, field_name: str) -> Column:
        return next(c for c in self.columns if c.field == field_name)


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _max_digits(model, name: str) -> int:
    return model._meta.get_field(name).max_digits


def _places(model, name: str) -> int:
    return model._meta.get_field(name).decimal_places


def _enum(choices, **kwargs) -> Enumeration:
    return Enumeration(choices, **kwargs)


def _parse_id_number(value) -> str:
    """A checksum-valid ID, or a masked one (``4206**********1234``) that the import resolves to the stored
    worker's full ID (``ids.py``)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellError(
            "身份证号请以文本格式填写：该单元格是数字，Excel 只保留 15 位有效数字，末几位已经丢失。"
            "请把该列设置为“文本”格式后重新填写完整的 18 位号码。"
        )
    text = v.normalise_text(v.cell_text(value)).upper()
    if is_masked(text):
        if mask_key(text) is None:
            raise CellError("身份证号不完整：" + NEED_FULL_ID)
        return text
    if not is_valid_id_number(text):
        raise CellError("身份证号应为 18 位且校验码正确（最后一位可为 X），请核对。")
    return text


def _text(header, field_name, model, *, model_field=None, required=False, help="") -> Column:
    max_length = _max_length(model, model_field or field_name)
    return Column(
        header,
        field_name,
        "text",
        required=required,
        parse=partial(v.parse_text, max_length=max_length),
        render=lambda value: value or "",  # formula-like text is written as a text cell (communities.spreadsheets)
        empty="",
        help=help,
        max_length=max_length,
    )


def _int(header, field_name, *, maximum: int, required=False, minimum=0, help="") -> Column:
    """A whole number; ``maximum`` is a sensible bound that also keeps it inside the database column (a
    PositiveIntegerField holds 2,147,483,647 on PostgreSQL, a PositiveSmallIntegerField 32,767)."""
    return Column(
        header,
        field_name,
        "int",
        required=required,
        parse=partial(v.parse_int, minimum=minimum, maximum=maximum),
        help=help,
        minimum=minimum,
        maximum=maximum,
    )


def _decimal(header, field_name, model, *, required=False, empty=None, help="") -> Column:
    """A non-negative decimal in the model field's own unit (元, m²), with at most its decimal places."""
    max_digits, places = _max_digits(model, field_name), _places(model, field_name)
    return Column(
        header,
        field_name,
        "decimal",
        required=required,
        parse=partial(v.parse_decimal, max_digits=max_digits, places=places),
        render=v.number,
        empty=empty,
        help=help,
        minimum=0,
        maximum=v.decimal_maximum(max_digits, places=places),
    )


def _wan(header, field_name, model, *, required=False, help="") -> Column:
    """Stored in 元, shown in 万元."""
    max_digits = _max_digits(model, field_name)
    return Column(
        header,
        field_name,
        "money",
        required=required,
        parse=partial(
            v.parse_decimal, max_digits=max_digits, scale=v.WAN, unit="万元", places=_places(model, field_name)
        ),
        render=v.wan,
        help=help,
        minimum=0,
        maximum=v.decimal_maximum(max_digits, v.WAN),
    )


def _choice(header, field_name, enumeration: Enumeration, *, required=False, empty="", help="") -> Column:
    return Column(
        header,
        field_name,
        "enum",
        required=required,
        parse=enumeration.parse,
        render=enumeration.render,
        empty=empty,
        options=tuple(enumeration.options),
        help=help or "可选：" + "、".join(enumeration.options),
    )


def _date(header, field_name, *, required=False, help="") -> Column:
    return Column(
        header,
        field_name,
        "date",
        required=required,
        parse=v.parse_date,
        help=help or "Excel 日期，或形如 2024-01-31 的文字",
    )


def _code(header="社区代码", field_name="community_code", lengths=(12,), help="") -> Column:
    return Column(
        header,
        field_name,
        "code",
        required=True,
        parse=partial(v.parse_code, lengths=lengths),
        help=help or "12 位统计用区划代码（文本格式，保留开头的 0）",
    )


COMMUNITY_TYPES = _enum(
    CommunityType, aliases={"城镇社区": CommunityType.URBAN, "村居合一": CommunityType.VILLAGE_MERGED}
)
URBAN_RURAL_CODES = _enum(
    UrbanRuralCode,
    aliases={label.split(" ", 1)[1]: value for value, label in UrbanRuralCode.choices}
    | {value: value for value in UrbanRuralCode.values},
    label_of=lambda value, label: value,
)
GENDERS = _enum(Gender, aliases={"男性": Gender.MALE, "女性": Gender.FEMALE, "M": Gender.MALE, "F": Gender.FEMALE})
EDUCATION = _enum(
    Education,
    aliases={
        "硕士": Education.POSTGRADUATE,
        "博士": Education.POSTGRADUATE,
        "硕士研究生": Education.POSTGRADUATE,
        "大学本科": Education.BACHELOR,
        "大专": Education.COLLEGE,
        "专科": Education.COLLEGE,
        "大学专科": Education.COLLEGE,
        "高中": Education.HIGH_SCHOOL,
        "中专": Education.HIGH_SCHOOL,
        "高中/中专": Education.HIGH_SCHOOL,
        "高中、中专": Education.HIGH_SCHOOL,
        "初中": Education.JUNIOR_OR_BELOW,
        "初中以下": Education.JUNIOR_OR_BELOW,
        "小学": Education.JUNIOR_OR_BELOW,
    },
)
POLITICAL_STATUS = _enum(
    PoliticalStatus,
    aliases={"党员": PoliticalStatus.CPC, "中共预备党员": PoliticalStatus.CPC, "团员": PoliticalStatus.CYL},
)
POSITIONS = _enum(
    Position,
    aliases={
        "支部书记": Position.SECRETARY,
        "居委会主任": Position.DIRECTOR,
        "书记、主任": Position.SECRETARY_DIRECTOR,
    },
)
QUALIFICATIONS = _enum(Qualification, aliases={"": Qualification.NONE, "助理社工师": Qualification.ASSISTANT})
CATEGORIES = _enum(Category)
FUNCTIONS = _enum(Function)
OWNERSHIP = _enum(Ownership)
SOURCES = _enum(Source, aliases={"乡镇财政": Source.TOWNSHIP, "街道财政": Source.TOWNSHIP, "县财政": Source.COUNTY})
USES = _enum(Use)
SERVICE_AREAS = _enum(ServiceArea)
PROVIDERS = _enum(Provider, aliases={"购买服务": Provider.PURCHASED})


def _bool_column(header, field_name, help="") -> Column:
    return Column(
        header,
        field_name,
        "bool",
        parse=v.parse_bool,
        render=lambda value: "是" if value else "否",
        empty=False,
        options=("是", "否"),
        help=help or "是 / 否（也可填 Y / N）",
    )


BASICS = Sheet(
    "社区基本情况",
    SurveyReturn,
    (
        _code(),
        _text("社区名称", "community_name", Community, model_field="name", required=True, help="社区（居委会）的名称"),
        _text(
            "街道(乡镇)名称",
            "street_name",
            Community,
            model_field="name",
            required=True,
            help="社区代码前 9 位所对应的街道(乡镇)",
        ),
        _choice("社区类型", "community_type", COMMUNITY_TYPES, required=True),
        _choice(
            "城乡分类代码",
            "urban_rural_code",
            URBAN_RURAL_CODES,
            help="111 主城区、112 城乡结合区、121 镇中心区、122 镇乡结合区、123 特殊区域、210 乡中心区、220 村庄",
        ),
        _int("户数", "households", required=True, maximum=1_000_000, help="辖区居民户数"),
        _int("常住人口", "population", required=True, maximum=10_000_000, help="辖区常住人口（人）"),
        _int("小区数", "neighborhoods", maximum=10_000, help="居民小区（院落）的个数"),
        _int("辖区单位数", "units", maximum=100_000, help="驻社区的机关、企事业单位等"),
        _int("党员数", "party_members", maximum=1_000_000, help="社区党组织管理的党员"),
        _int("注册志愿者数", "volunteers", maximum=1_000_000, help="在志愿服务平台注册的志愿者人数"),
        _int("社区社会组织数", "social_organizations", maximum=10_000, help="在社区活动的社区社会组织个数"),
        _int("驻社区民警数", "police_officers", maximum=10_000, help="派驻社区的民警人数（社区警务）"),
    ),
    key_fields=("community_code",),
    help="每个社区一行。本表是导入的依据：只有本表中列出的社区才会被导入，且这些社区本年度的其他各表以本调查表为准。",
)

WORKERS = Sheet(
    "社区工作者",
    Worker,
    (
        _code(),
        _text("姓名", "name", Worker, required=True, help="工作者的姓名"),
        Column(
            "身份证号",
            "id_number",
            "code",
            parse=_parse_id_number,
            empty="",
            help="18 位，校验码须正确（文本格式）；填了身份证号的按身份证号识别同一人，未填的按姓名和出生年份识别。"
            "系统导出的调查表中身份证号只显示前 4 位和后 4 位（如 4206**********1234）：原样保留表示不修改，"
            "新增人员或更正号码请填写完整的 18 位号码",
        ),
        _choice("性别", "gender", GENDERS, required=True),
        _int("出生年份", "birth_year", required=True, minimum=1930, maximum=2100, help="4 位年份，如 1985"),
        _choice("学历", "education", EDUCATION, required=True),
        _choice("政治面貌", "political_status", POLITICAL_STATUS),
        _choice("职务", "position", POSITIONS, required=True),
        _date("入职日期", "hired_on", required=True, help="到社区工作的日期；Excel 日期，或形如 2020-03-01 的文字"),
        _date("离职日期", "left_on", help="在岗的留空；不能早于入职日期；Excel 日期，或形如 2024-06-30 的文字"),
        _text("离职原因", "leave_reason", Worker, help="离职的原因，如辞职、调离、退休"),
        _bool_column("是否被借用", "seconded", help="是 / 否：被其他单位借用但仍由社区发放报酬的填“是”"),
        _text("借用单位", "seconded_to", Worker, help="被借用时填借用的单位"),
        _choice("社工职业资格", "qualification", QUALIFICATIONS, empty=Qualification.NONE),
        _decimal("月基本报酬(元)", "monthly_pay", Worker, required=True, help="含单位和个人缴纳的五险"),
        _decimal("月补贴(元)", "monthly_allowance", Worker, empty=v.Decimal("0.00"), help="各地另行发放的补贴"),
        _decimal("月个人社保(元)", "monthly_social_insurance", Worker, empty=v.Decimal("0.00"), help="个人缴纳的五险"),
    ),
    key_fields=("community_code", "id_number", "name", "birth_year"),
    help="每个社区本年度花名册上的每名工作者一行（包括年内或以前离职的）。"
    "本表是所列社区本年度的全部工作者（见第 3 条）。",
)

PREMISES = Sheet(
    "办公服务用房",
    Premises,
    (
        _code(),
        _text("名称", "name", Premises, required=True, help="用房或场地的名称，同一社区内不能重复"),
        _choice("用房类别", "category", CATEGORIES, required=True),
        _choice("功能类型", "function", FUNCTIONS),
        _decimal("建筑面积(平方米)", "area", Premises, required=True, help="室外场地填占地面积"),
        _choice("产权来源", "ownership", OWNERSHIP),
        _int("建成年份", "built_year", minimum=1900, maximum=2100, help="4 位年份"),
    ),
    key_fields=("community_code", "name"),
    help="每处用房或场地一行；同一社区内名称不能重复。本表是所列社区本年度的全部用房（见第 3 条）。",
)

FUNDING = Sheet(
    "经费",
    Allocation,
    (
        _code(
            "单位代码",
            "unit_code",
            lengths=(2, 4, 6, 9, 12),
            help="经费落在哪一级：社区 12 位、街道 9 位、县 6 位、市 4 位、省 2 位",
        ),
        _choice("资金来源", "source", SOURCES, required=True),
        _choice("经费用途", "use", USES, required=True),
        _wan("预算金额(万元)", "budget", Allocation, required=True, help="本年度预算安排的金额"),
        _wan("到位金额(万元)", "received", Allocation, help="实际到位"),
    ),
    key_fields=("unit_code", "source", "use"),
    help="每笔经费一行；同一单位的同一资金来源、同一用途只填一行。金额单位为万元。本表是所列社区、其街道(乡镇)"
    "和表中出现的其他单位本年度的全部经费（见第 4 条）。",
)

PROGRAMS = Sheet(
    "服务项目",
    ServiceProgram,
    (
        _code(),
        _text("项目名称", "name", ServiceProgram, required=True, help="同一社区内项目名称不能重复"),
        _choice("服务领域", "area", SERVICE_AREAS, required=True),
        _choice("提供方式", "provider", PROVIDERS, required=True),
        _int("受益人次", "beneficiaries", maximum=100_000_000, help="本年度受益的人次"),
        _int("志愿者人次", "volunteer_visits", maximum=10_000_000, help="本年度参与服务的志愿者人次"),
        _wan("经费(万元)", "funds", ServiceProgram, help="项目本年度使用的经费"),
    ),
    key_fields=("community_code", "name"),
    help="每个服务项目一行；同一社区内项目名称不能重复。本表是所列社区本年度的全部服务项目（见第 3 条）。",
)

SHEETS: tuple[Sheet, ...] = (BASICS, WORKERS, PREMISES, FUNDING, PROGRAMS)
CHILD_SHEETS: tuple[Sheet, ...] = (WORKERS, PREMISES, PROGRAMS)
INSTRUCTIONS_SHEET = "填报说明"
BASICS_RETURN_FIELDS = [
    c.field
    for c in BASICS.columns
    if c.field not in ("community_code", "community_name", "street_name")
    and c.field not in ("community_type", "urban_rural_code")
]
BASICS_COMMUNITY_FIELDS = {
    "community_name": "name",
    "community_type": "community_type",
    "urban_rural_code": "urban_rural_code",
}


def row_type(names: list[str] | tuple[str, ...]) -> type:
    """A tuple that also answers ``row["field"]``: rows read or loaded by an import cost a fifth of a dict's memory
    (350,000 of them at 10,000 communities)."""
    index = {name: i for i, name in enumerate(names)}
    getitem = tuple.__getitem__

    class Row(tuple):
        __slots__ = ()
        fields = tuple(names)

        def __getitem__(self, key, _index=index, _getitem=getitem, _str=str):
            return _getitem(self, _index[key]) if key.__class__ is _str else _getitem(self, key)

        def get(self, key, default=None):
            return getitem(self, index[key]) if key in index else default

        def items(self):
            return zip(self.fields, self, strict=True)

        def __contains__(self, key):
            return key in index

    return Row


def worker_key(record: dict) -> tuple:
    """A worker is identified by the ID number where given, else by name and birth year."""
    if record["id_number"]:
        return (record["community_code"], "id", record["id_number"])
    return (record["community_code"], "name", record["name"], record["birth_year"])


def row_key(sheet: Sheet, record: dict) -> tuple:
    if sheet is WORKERS:
        return worker_key(record)
    return tuple(record[name] for name in sheet.key_fields)


def sheet_by_name(name: str) -> Sheet | None:
    wanted = v.normalise_header(name)
    return next((s for s in SHEETS if v.normalise_header(s.name) == wanted), None)


# The admin's import/export of the two tables the workbook does not carry (communities/resources.py): the same
# builders, parsers and messages as the workbook's columns.
REGION_COLUMNS = (
    _code("区划代码", "code", lengths=(2, 4, 6, 9), help="2、4、6 或 9 位区划代码"),
    _text("名称", "name", Region, required=True),
)
STANDARD_COLUMNS = (
    # '' is the whole country (全国).
    replace(_code("适用区划代码", "region_code", lengths=(2, 4, 6, 9, 12)), required=False, empty=""),
    # The keys themselves (older exports wrote them) are read too.
    _choice("标准项", "key", _enum(StandardKey, aliases={key: key for key in StandardKey.values}), required=True),
    _int("起始年度", "year_from", minimum=2000, maximum=2100, required=True),
    _decimal("数值", "value", Standard, required=True),
    _text("依据文件", "source", Standard),
)

# 区划变更 (communities.code_changes): the admin's import/export and ``manage.py import_code_changes``.
CODE_CHANGE_KINDS = _enum(
    ChangeKind, aliases={"更名": ChangeKind.RECODE, "改码": ChangeKind.RECODE, "撤村建居": ChangeKind.VILLAGE}
)
CODE_CHANGE_COLUMNS = (
    _code("原代码", "old_code", lengths=(12, 9), help="变更前的 12 位社区代码，或 9 位街道（乡镇）代码"),
    _code("新代码", "new_code", lengths=(12, 9), help="变更后的代码，与原代码位数相同"),
    _int("生效年份", "year", minimum=2000, maximum=2100, required=True, help="新代码第一次填报的年度"),
    _choice("变更类型", "kind", CODE_CHANGE_KINDS, required=True),
    _text("备注", "note", CodeChange),
)
CODE_CHANGES = Sheet(
    "区划变更",
    CodeChange,
    CODE_CHANGE_COLUMNS,
    key_fields=("old_code", "new_code", "year"),
    help="每行一项变更：合并时每个并入的社区一行，拆分时每个新社区一行。",
)
