"""Helpers for tests and benchmarks of filing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from torelik.efiling.models import Submission
    from torelik.identity.models import User


def make_pdf(text: str = "Claim attachment") -> bytes:
    """A small valid PDF (one page, one line of text)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def file_claims(
    *,
    filer: User,
    sign: Callable[[str, bytes], str],
    count: int,
    parties: int = 1,
    documents: int = 1,
    clerk: User | None = None,
    key: str = "citizen",
) -> list[Submission]:
    """`count` signed alimony claims of `filer` in court 7140, submitted; accepted by `clerk` if given.

    Each names `parties` defendants and attaches `documents` signed PDFs, so the lists built from
    them have rows with parties, documents and signatures: what query-count tests need. Alimony
    claims owe no fee, so they reach the court's queue without a payment. `sign(key, data)` is the
    conftest fixture (a base64 CMS, as NCALayer returns it).
    """
    # Imported here: make_pdf also serves the filing benchmark's clients, which set no Django up.
    from torelik.archive.selectors import read_blob
    from torelik.efiling import intake, services

    filed = []
    for n in range(count):
        draft = services.create_draft(
            filer=filer,
            data=services.DraftInput(
                type_key="claim",
                court_code="7140",
                category_code="civ.alimony",
                title=f"Алименты {n}",
                text="Ответчик не платит алименты.",
                parties=[
                    services.PartyDetails(
                        role="defendant", person_kind="individual", name=f"Ответчик {n}-{p}", address="Астана"
                    )
                    for p in range(parties)
                ],
                fee_exemption="alimony",
            ),
        )
        for d in range(documents):
            services.add_document(
                submission=draft, filer=filer, filename=f"doc-{n}-{d}.pdf", data=make_pdf(f"Document {n}-{d}")
            )
        signatures: dict[int, bytes | str] = {
            d.pk: sign(key, read_blob(blob=d.blob)) for d in draft.documents.select_related("blob")
        }
        submission = services.submit(
            submission=draft,
            filer=filer,
            body_cms=sign(key, services.signing_payload(submission=draft)),
            document_cms=signatures,
        )
        if clerk is not None:
            intake.accept_submission(submission=submission, clerk=clerk)
        filed.append(submission)
    return filed
