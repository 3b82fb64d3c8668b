"""Payment providers behind one interface, and the demo bank that stands in for a real one.

A provider opens a payment page for the payer and later notifies us with a signed callback.
The demo bank signs its callbacks with HMAC-SHA256 over the exact body bytes, as many Kazakh
acquirers do; a production adapter would check the bank's RSA/GOST signature instead.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from torelik.efiling.models import Payment, PaymentStatus
from torelik.kernel.errors import DomainError

SIGNATURE_HEADER = "X-Bank-Signature"


@dataclass(frozen=True)
class PaymentNotice:
    payment_reference: str
    status: str
    amount_tiyn: int
    bank_transaction_id: str


class PaymentProvider(Protocol):
    name: str

    def payment_page_url(self, *, payment: Payment) -> str: ...

    def parse_callback(self, *, body: bytes, signature: str) -> PaymentNotice: ...


def demo_bank_sign(body: bytes) -> str:
    secret = str(settings.TORELIK["DEMO_BANK_SECRET"]).encode()
    return hmac.new(secret, body, hashlib.sha256).hexdigest()


class DemoBank:
    name = "demo_bank"

    def payment_page_url(self, *, payment: Payment) -> str:
        return reverse("demobank:pay", args=[payment.provider_reference])

    def parse_callback(self, *, body: bytes, signature: str) -> PaymentNotice:
        if not signature or not hmac.compare_digest(demo_bank_sign(body), signature.strip().lower()):
            raise DomainError(
                "payment_callback_forged", _("The payment notice is not signed by the bank; it was ignored.")
            )
        try:
            data = json.loads(body)
            status = {"confirmed": PaymentStatus.CONFIRMED, "declined": PaymentStatus.DECLINED}[
                data["status"]
            ]
            return PaymentNotice(
                payment_reference=str(data["payment_reference"]),
                status=status,
                amount_tiyn=int(data["amount_tiyn"]),
                bank_transaction_id=str(data["bank_transaction_id"]),
            )
        except (ValueError, KeyError, TypeError):
            raise DomainError(
                "payment_callback_malformed", _("The payment notice could not be read.")
            ) from None


_PROVIDERS: dict[str, PaymentProvider] = {}
# The demo bank confirms whatever the payer clicks: it is a provider in demo mode only.
_DEMO_PROVIDERS: dict[str, PaymentProvider] = {"demo_bank": DemoBank()}


def get_payment_provider(name: str) -> PaymentProvider:
    from torelik.kernel.deployment import demo_mode

    providers = {**_PROVIDERS, **_DEMO_PROVIDERS} if demo_mode() else _PROVIDERS
    try:
        return providers[name]
    except KeyError:
        raise DomainError(
            "payment_provider_unknown",
            _("Unknown payment provider “%(name)s”.") % {"name": name},
            field="provider",
        ) from None
