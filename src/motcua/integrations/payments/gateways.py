"""The payment gateway this installation uses, from the settings (VNPay, or the simulator)."""

from __future__ import annotations

from django.conf import settings

from motcua.integrations.payments import PaymentGateway
from motcua.integrations.payments.vnpay import JsonPost, VNPayGateway, post_json

#: The simulator's merchant account (development and tests only; never a real secret).
SIMULATOR_TMN_CODE = "MOTCUA01"
SIMULATOR_HASH_SECRET = "motcua-payment-simulator-secret-not-for-production"  # noqa: S105
SIMULATOR_PATH = "/cong-thanh-toan-thu-nghiem/"
#: The simulator's merchant API (querydr), under ``SIMULATOR_PATH`` like VNPay's own.
SIMULATOR_API_PATH = f"{SIMULATOR_PATH}merchant_webapi/api/transaction"


def payments_enabled() -> bool:
    """Whether online payment is offered (a gateway is configured, or the simulator is on)."""
    return bool(settings.MOTCUA_VNPAY_TMN_CODE or settings.MOTCUA_TEST_PAYMENT_GATEWAY)


def simulator_enabled() -> bool:
    return bool(settings.MOTCUA_TEST_PAYMENT_GATEWAY)


def configured_gateway(*, post: JsonPost = post_json) -> PaymentGateway | None:
    """The configured gateway client; the local simulator when no merchant account is set.

    ``post`` carries the server-to-server query (reconciliation); tests pass the test client."""
    if settings.MOTCUA_VNPAY_TMN_CODE:
        return VNPayGateway(
            tmn_code=settings.MOTCUA_VNPAY_TMN_CODE,
            hash_secret=settings.MOTCUA_VNPAY_HASH_SECRET,
            pay_url=settings.MOTCUA_VNPAY_PAY_URL,
            api_url=settings.MOTCUA_VNPAY_API_URL,
            post=post,
        )
    if settings.MOTCUA_TEST_PAYMENT_GATEWAY:
        site = str(settings.MOTCUA_SITE_URL).rstrip("/")
        return VNPayGateway(
            tmn_code=SIMULATOR_TMN_CODE,
            hash_secret=SIMULATOR_HASH_SECRET,
            pay_url=SIMULATOR_PATH,
            api_url=f"{site}{SIMULATOR_API_PATH}",
            post=post,
        )
    return None
