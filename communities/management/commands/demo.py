from django.core.management.base import BaseCommand

from communities.demo import SCALES, demo_build


class Command(BaseCommand):
    help = (
        "建立演示数据：一个县、三个街道(乡镇)、20个社区、三年的年度填报，以及各角色的演示用户。可重复运行。"
        "--scale city：再加上全市其余八个县(市、区)，共150个社区，一名市级审核员和每个街道一名填报员（用于负载测试）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", choices=SCALES, default="county", help="county（默认，20个社区）或 city（150个社区）"
        )

    def handle(self, *args, **options):
        summary, users = demo_build(scale=options["scale"])
        self.stdout.write(
            f"演示数据：新建区划 {summary.regions} 个、社区 {summary.communities} 个、"
            f"年度填报 {summary.returns_created} 份（工作者 {summary.workers}、用房 {summary.premises}、"
            f"经费 {summary.allocations}、服务项目 {summary.programs} 行）。"
        )
        self.stdout.write("演示用户（用户名 / 密码 / 角色）：")
        for user in users:
            self.stdout.write(f"  {user.username} / {user.password} / {user.role.label}（{user.full_name}）")
