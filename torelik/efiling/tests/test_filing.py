"""The filing path through the services: draft, documents, signatures, submission, payment."""

from __future__ import annotations

import base64
import json

import pytest

from torelik.archive.models import Blob
from torelik.archive.selectors import read_blob
from torelik.efiling import services
from torelik.efiling.models import Payment, PaymentStatus, Submission, SubmissionDocument, SubmissionStatus
from torelik.efiling.payments import demo_bank_sign
from torelik.efiling.testing import make_pdf
from torelik.kernel.errors import DomainError
from torelik.signatures.models import SignatureRecord

pytestmark = pytest.mark.django_db


def claim_input(**overrides):
    data = {
        "type_key": "claim",
        "court_code": "7140",
        "category_code": "civ.loan",
        "title": "О взыскании долга по договору займа",
        "text": "Ответчик не вернул 500 000 тенге в срок.",
        "parties": [
            services.PartyDetails(
                role="defendant", person_kind="individual", name="Ахметов Болат", iin="791028302728"
            )
        ],
        "is_property": True,
        "claim_amount": "500000",
    }
    data.update(overrides)
    return services.DraftInput(**data)


def signed_submit(sub, filer, sign, key="citizen"):
    payload = services.signing_payload(submission=sub)
    docs = {d.pk: sign(key, read_blob(blob=d.blob)) for d in sub.documents.select_related("blob")}
    return services.submit(submission=sub, filer=filer, body_cms=sign(key, payload), document_cms=docs)


def test_draft_adds_the_filer_as_plaintiff(demo_court, citizen):
    sub = services.create_draft(filer=citizen, data=claim_input())
    roles = [(p.role, p.name, p.iin) for p in sub.parties.order_by("id")]
    assert roles[0] == ("plaintiff", "СЕРИКОВ АЙДАР НУРЛАНОВИЧ", citizen.iin)
    assert roles[1] == ("defendant", "Ахметов Болат", "791028302728")
    assert sub.status == SubmissionStatus.DRAFT
    assert sub.claim_amount_tiyn == 50_000_000


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        (
            {
                "parties": [
                    services.PartyDetails(
                        role="defendant", person_kind="individual", name="X", iin="791028302729"
                    )
                ]
            },
            "iin_checksum",
            "parties[0].iin",
        ),
        (
            {
                "parties": [
                    services.PartyDetails(
                        role="defendant", person_kind="legal_entity", name="ТОО", bin="12345"
                    )
                ]
            },
            "bin_length",
            "parties[0].bin",
        ),
        ({"parties": []}, "other_side_required", "parties"),
        (
            {
                "parties": [
                    services.PartyDetails(role="defendant", person_kind="individual", name="Без адреса")
                ]
            },
            "party_identity_required",
            "parties[0].address",
        ),
        ({"claim_amount": "-100"}, "claim_amount_not_positive", "claim_amount"),
        ({"claim_amount": "0"}, "claim_amount_not_positive", "claim_amount"),
        ({"claim_amount": "1e30"}, "money_invalid", "claim_amount"),
        ({"claim_amount": "99999999999999999"}, "claim_amount_absurd", "claim_amount"),
        ({"claim_amount": None}, "claim_amount_required", "claim_amount"),
        ({"court_code": "0000"}, "court_not_found", "court"),
        ({"category_code": "crim.private"}, "category_not_allowed", "category"),
        ({"type_key": "nonsense"}, "submission_type_unknown", "type"),
        ({"title": "  "}, "title_required", "title"),
        ({"fee_deferral_requested": True}, "fee_deferral_reason_required", "fee_deferral_reason"),
    ],
)
def test_bad_draft_is_refused_with_a_named_field_and_nothing_written(
    demo_court, citizen, overrides, code, field
):
    with pytest.raises(DomainError) as err:
        services.create_draft(filer=citizen, data=claim_input(**overrides))
    assert err.value.code == code
    assert err.value.field == field
    assert str(err.value.message)
    assert Submission.objects.count() == 0


def test_non_pdf_and_oversized_files_are_refused(demo_court, citizen, settings):
    sub = services.create_draft(filer=citizen, data=claim_input())
    blobs_before = Blob.objects.count()
    with pytest.raises(DomainError) as err:
        services.add_document(
            submission=sub, filer=citizen, filename="photo.jpg", data=b"\xff\xd8\xff\xe0JFIF"
        )
    assert err.value.code == "file_not_pdf"
    assert "photo.jpg" in str(err.value.message)
    settings.TORELIK = {**settings.TORELIK, "MAX_ATTACHMENT_BYTES": 1000}
    with pytest.raises(DomainError) as err:
        services.add_document(submission=sub, filer=citizen, filename="big.pdf", data=make_pdf("x" * 2000))
    assert err.value.code == "file_too_large"
    assert SubmissionDocument.objects.count() == 0
    assert Blob.objects.count() == blobs_before


def test_same_pdf_twice_is_a_duplicate(demo_court, citizen, pdf_bytes):
    sub = services.create_draft(filer=citizen, data=claim_input())
    services.add_document(submission=sub, filer=citizen, filename="a.pdf", data=pdf_bytes)
    with pytest.raises(DomainError) as err:
        services.add_document(submission=sub, filer=citizen, filename="b.pdf", data=pdf_bytes)
    assert err.value.code == "document_duplicate"
    assert sub.documents.count() == 1


def test_signed_claim_is_submitted_with_fee_and_reference(demo_court, citizen, sign, pdf_bytes):
    sub = services.create_draft(filer=citizen, data=claim_input())
    services.add_document(
        submission=sub, filer=citizen, filename="contract.pdf", data=pdf_bytes, title="Договор"
    )
    sub = signed_submit(sub, citizen, sign)
    assert sub.status == SubmissionStatus.AWAITING_PAYMENT
    assert sub.reference and sub.reference.startswith("JO-")
    assert sub.fee_tiyn == 500_000  # 1 % of 500 000 tenge, in tiyn
    assert sub.body_signature.signer_iin == citizen.iin
    assert sub.documents.get().signature.signer_iin == citizen.iin
    # The signed body is itself stored, so the signature can be re-checked later.
    assert Blob.objects.filter(sha256=sub.body_sha256).exists()


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("other_bytes", "signature_content_mismatch"),
        ("other_person", "signer_not_filer"),
        ("revoked", "certificate_revoked"),
        ("expired", "certificate_expired"),
        ("foreign", "certificate_untrusted"),
        ("garbage", "cms_malformed"),
        ("unsigned_document", "document_unsigned"),
    ],
)
def test_bad_signatures_are_refused_and_nothing_is_written(demo_court, citizen, sign, pdf_bytes, case, code):
    sub = services.create_draft(filer=citizen, data=claim_input())
    doc = services.add_document(submission=sub, filer=citizen, filename="contract.pdf", data=pdf_bytes)
    payload = services.signing_payload(submission=sub)
    body = sign("citizen", payload)
    docs = {doc.pk: sign("citizen", pdf_bytes)}
    if case == "other_bytes":
        body = sign("citizen", payload + b" ")
    elif case == "other_person":
        body = sign("lawyer", payload)
    elif case == "revoked":
        body = sign("citizen_revoked", payload)
    elif case == "expired":
        body = sign("expired", payload)
    elif case == "foreign":
        body = sign("foreign", payload)
    elif case == "garbage":
        body = base64.b64encode(b"not a signature").decode()
    elif case == "unsigned_document":
        docs = {}
    with pytest.raises(DomainError) as err:
        services.submit(submission=sub, filer=citizen, body_cms=body, document_cms=docs)
    assert err.value.code == code
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.DRAFT
    assert sub.reference is None
    assert SignatureRecord.objects.count() == 0
    assert not SubmissionDocument.objects.filter(signature__isnull=False).exists()


def test_double_submit_is_refused(demo_court, citizen, sign):
    sub = services.create_draft(filer=citizen, data=claim_input())
    sub = signed_submit(sub, citizen, sign)
    with pytest.raises(DomainError) as err:
        signed_submit(sub, citizen, sign)
    assert err.value.code == "already_submitted"
    assert SignatureRecord.objects.count() == 1


def _notice(payment: Payment, status: str = "confirmed", amount: int | None = None) -> bytes:
    return json.dumps(
        {
            "payment_reference": payment.provider_reference,
            "status": status,
            "amount_tiyn": payment.amount_tiyn if amount is None else amount,
            "bank_transaction_id": "DB1",
        }
    ).encode()


def test_payment_confirmed_sends_the_filing_to_the_court(demo_court, citizen, sign):
    sub = signed_submit(services.create_draft(filer=citizen, data=claim_input()), citizen, sign)
    payment, url = services.start_payment(submission=sub, filer=citizen)
    assert url.endswith(f"/demo-bank/pay/{payment.provider_reference}/")
    assert payment.amount_tiyn == 500_000
    body = _notice(payment)
    services.handle_payment_callback(provider_name="demo_bank", body=body, signature=demo_bank_sign(body))
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.SUBMITTED
    # The bank may repeat its notice: nothing changes.
    services.handle_payment_callback(provider_name="demo_bank", body=body, signature=demo_bank_sign(body))
    assert sub.status_changes.filter(status=SubmissionStatus.SUBMITTED).count() == 1


def test_forged_declined_and_wrong_amount_notices(demo_court, citizen, sign):
    sub = signed_submit(services.create_draft(filer=citizen, data=claim_input()), citizen, sign)
    payment, _url = services.start_payment(submission=sub, filer=citizen)
    body = _notice(payment)
    with pytest.raises(DomainError) as err:
        services.handle_payment_callback(provider_name="demo_bank", body=body, signature="0" * 64)
    assert err.value.code == "payment_callback_forged"
    wrong = _notice(payment, amount=1)
    with pytest.raises(DomainError) as err:
        services.handle_payment_callback(
            provider_name="demo_bank", body=wrong, signature=demo_bank_sign(wrong)
        )
    assert err.value.code == "payment_amount_mismatch"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    declined = _notice(payment, status="declined")
    services.handle_payment_callback(
        provider_name="demo_bank", body=declined, signature=demo_bank_sign(declined)
    )
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.AWAITING_PAYMENT
    # After a decline the filer can pay again with a new payment.
    again, _ = services.start_payment(submission=sub, filer=citizen)
    assert again.pk != payment.pk


def test_exempt_claim_goes_straight_to_the_court(demo_court, citizen, sign):
    sub = services.create_draft(
        filer=citizen, data=claim_input(category_code="civ.alimony", fee_exemption="alimony")
    )
    sub = signed_submit(sub, citizen, sign)
    assert sub.fee_tiyn == 0
    assert sub.status == SubmissionStatus.SUBMITTED


def test_another_filer_cannot_touch_the_draft(demo_court, citizen, entity_user, pdf_bytes):
    sub = services.create_draft(filer=citizen, data=claim_input())
    with pytest.raises(DomainError) as err:
        services.add_document(submission=sub, filer=entity_user, filename="x.pdf", data=pdf_bytes)
    assert err.value.code == "forbidden"
