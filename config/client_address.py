"""The client's address for login throttling (django-axes' ``AXES_CLIENT_IP_CALLABLE``).

Each reverse proxy appends to X-Forwarded-For the address the request came to it from, and the application sees
the nearest proxy as REMOTE_ADDR. With ``TRUSTED_PROXY_COUNT`` = N proxies in front of the application, the
client's address is therefore the N-th entry from the end of the header: whatever a client wrote in the header
itself stays to the left of it and is never read. With N = 0 (the default: no proxy) the header is ignored.
A header shorter than N entries, or an entry that is not an address, means the request did not come through the
proxies as configured: REMOTE_ADDR is used.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote
