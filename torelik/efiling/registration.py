"""Registration of a case, orchestrated: number and record it, file its documents into the
electronic file, draw its judge — in one transaction, so a case is never registered half-way.

`cases` records the case; `archive` files the documents under its Merkle log; `distribution`
draws the judge (a case nobody may hear stays awaiting distribution with an alert: the draw never
raises). efiling is the one app above all three, so the path runs down from here and never back up.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from torelik.archive.services import FiledDocument, file_case_documents
from torelik.cases.models import Case
from torelik.cases.parties import PartyDetails
from torelik.cases.services import DocumentData, register_case
from torelik.courts.models import CaseCategory, Court
from torelik.distribution.models import CaseRelation
from torelik.distribution.services import distribute_registered_case
from torelik.efiling.models import Submission
from torelik.identity.models import User
from torelik.identity.permissions import Actor, acting_user


@transaction.atomic
def register_and_distribute(
    *,
    court: Court,
    category: CaseCategory,
    registered_at: datetime,
    actor: Actor,
    parties: list[PartyDetails],
    documents: list[DocumentData],
    claim_amount_tiyn: int | None = None,
    submission: Submission | None = None,
    lower_instance: Case | None = None,
    relation: str = CaseRelation.LOWER_INSTANCE,
    filer: User | None = None,
    filer_role: str | None = None,
) -> Case:
    """Registers a case, files its documents and draws its judge; returns the case.

    `lower_instance`: the case an appeal, cassation or retrial reviews (`relation`); its judges
    are excluded from the first draw.
    """
    case = register_case(
        court=court,
        category=category,
        registered_at=registered_at,
        actor=actor,
        parties=parties,
        documents=documents,
        claim_amount_tiyn=claim_amount_tiyn,
        submission_id=submission.pk if submission else None,
        filer=filer,
        filer_role=filer_role,
    )
    file_case_documents(
        case_number=case.number,
        submission_type=submission.type_key if submission else None,
        documents=[
            FiledDocument(
                blob=d.blob,
                signature=d.signature,
                is_body=submission is not None and d.blob.sha256 == submission.body_sha256,
            )
            for d in documents
        ],
    )
    distribute_registered_case(
        case=case, actor=acting_user(actor), lower_instance=lower_instance, relation=relation
    )
    return case
