from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    # The module holds three AppConfig classes (this one, django-axes' and its subclass below): without ``default``
    # Django would pick none for "communities" and name the app "Communities" in the admin.
    default = True
    name = "communities"
    verbose_name = "社区与年度填报"


class LoginSecurityConfig(AxesAppConfig):
    """django-axes (login throttling) under a Chinese name in the admin; its models' names are translated in
    locale/zh_Hans (axes ships no Chinese)."""

    verbose_name = "登录安全"
