"""The demo bank: a stand-in payment provider with its own pages and a signed server-to-server notice.

It shows the payer the amount, lets them confirm or decline, then notifies Torelik over HTTP at
the callback address exactly as an acquiring bank would (JSON body, HMAC-SHA256 in a header),
from the background worker, and sends the payer back to their filing.
"""

from __future__ import annotations

import json
import secrets

import requests
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django_tasks import task

from torelik.efiling.models import Payment, PaymentStatus
from torelik.efiling.payments import SIGNATURE_HEADER, demo_bank_sign
from torelik.kernel.money import Money


def build_notice(*, payment: Payment, confirmed: bool) -> bytes:
    return json.dumps(
        {
            "payment_reference": payment.provider_reference,
            "status": "confirmed" if confirmed else "declined",
            "amount_tiyn": payment.amount_tiyn,
            "bank_transaction_id": f"DB{secrets.token_hex(6).upper()}",
            "at": timezone.now().isoformat(),
        },
        separators=(",", ":"),
    ).encode()


@task()
def deliver_notice(body: str) -> int:
    """POSTs the signed notice to Torelik's callback; raising makes the worker retry it."""
    raw = body.encode()
    url = settings.PUBLIC_BASE_URL.rstrip("/") + reverse("api:demo_bank_callback")
    response = requests.post(
        url,
        data=raw,
        headers={"Content-Type": "application/json", SIGNATURE_HEADER: demo_bank_sign(raw)},
        timeout=10,
    )
    response.raise_for_status()
    return response.status_code


@require_http_methods(["GET", "POST"])
def pay(request: HttpRequest, reference: str) -> HttpResponseBase:
    from django.http import Http404

    from torelik.kernel.deployment import demo_mode

    if not demo_mode():
        raise Http404  # mounted only in demo mode; this guards a URLconf loaded before the switch
    payment = get_object_or_404(Payment, provider_reference=reference)
    if request.method == "POST" and payment.status == PaymentStatus.PENDING:
        confirmed = request.POST.get("decision") == "confirm"
        deliver_notice.enqueue(body=build_notice(payment=payment, confirmed=confirmed).decode())
        return redirect("portal:submission", submission_id=payment.submission_id)
    return render(
        request,
        "efiling/demobank_pay.html",
        {"payment": payment, "amount": Money(payment.amount_tiyn).format()},
    )


app_name = "demobank"
urlpatterns = [path("pay/<str:reference>/", pay, name="pay")]
