from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from communities import views as community_views

urlpatterns = [
    path("", community_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("returns/", include("communities.returns.urls")),
    path("workbook/", include("communities.workbook.urls")),
    path("dashboard/", include("communities.dashboard.urls")),
    path("api/", include("communities.api.urls")),
    path("report/", include("communities.report.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "communities.views.permission_denied"
