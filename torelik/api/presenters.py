"""Turn models into API shapes; reads only."""

from __future__ import annotations

from typing import Any

from torelik.cases.models import Case
from torelik.courts.models import CaseCategory, Court
from torelik.efiling.models import Submission
from torelik.efiling.selectors import status_history
from torelik.efiling.types import get_submission_type


def court_brief(court: Court) -> dict[str, str]:
    return {"code": court.code, "name": court.name}


def category_brief(category: CaseCategory | None) -> dict[str, str] | None:
    return {"code": category.code, "name": category.name} if category else None


def submission_out(submission: Submission) -> dict[str, Any]:
    case = Case.objects.filter(submission=submission).only("number").first()
    return {
        "id": submission.pk,
        "reference": submission.reference,
        "type": submission.type_key,
        "type_label": str(get_submission_type(submission.type_key).label),
        "court": court_brief(submission.court),
        "category": category_brief(submission.category),
        "status": submission.status,
        "status_label": str(submission.get_status_display()),
        "title": submission.title,
        "text": submission.text,
        "is_property": submission.is_property,
        "claim_amount_tiyn": submission.claim_amount_tiyn,
        "fee_tiyn": submission.fee_tiyn,
        "fee_explanation": submission.fee_explanation,
        "fee_exemption": submission.fee_exemption,
        "fee_deferral_requested": submission.fee_deferral_requested,
        "fee_relief": submission.fee_relief,
        "submitted_at": submission.submitted_at,
        "return_reasons": submission.return_reasons,
        "fix_deadline": submission.fix_deadline,
        "case_number": case.number if case else None,
        "parties": [
            {
                "role": p.role,
                "person_kind": p.person_kind,
                "name": p.name,
                "iin": p.iin,
                "bin": p.bin,
                "address": p.address,
                "phone": p.phone,
                "email": p.email,
            }
            for p in submission.parties.all()
        ],
        "documents": [
            {
                "id": d.pk,
                "filename": d.filename,
                "title": d.title,
                "sha256": d.blob_id,
                "size": d.blob.size,
                "signed": d.signature_id is not None,
                "signer_iin": d.signature.signer_iin if d.signature else None,
            }
            for d in submission.documents.select_related("blob", "signature")
        ],
        "history": [
            {"status": c.status, "label": str(c.get_status_display()), "at": c.at, "note": c.note}
            for c in status_history(submission=submission)
        ],
    }


def case_out(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "number": case.number,
        "court": court_brief(case.court),
        "category": category_brief(case.category),
        "status": case.status,
        "status_label": str(case.get_status_display()),
        "registered_at": case.registered_at,
        "parties": [
            {
                "role": p.role,
                "person_kind": p.person_kind,
                "name": p.name,
                "iin": p.iin,
                "bin": p.bin,
                "address": p.address,
            }
            for p in case.parties.all()
        ],
        "documents": [
            {
                "id": d.pk,
                "filename": d.filename,
                "title": d.title,
                "sha256": d.blob_id,
                "size": d.blob.size,
                "signed": d.signature_id is not None,
                "signer_iin": d.signature.signer_iin if d.signature else None,
            }
            for d in case.documents.select_related("blob", "signature")
        ],
    }
