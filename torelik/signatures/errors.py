"""The one error type of the signatures app; `code` says which check failed."""

from __future__ import annotations

from torelik.kernel.errors import DomainError


class SignatureError(DomainError):
    """A signature, certificate or key was refused; nothing was written.

    Codes: cms_malformed, signature_content_missing, signature_content_mismatch,
    signature_invalid, signature_algorithm_unsupported, signer_certificate_missing,
    certificate_untrusted, certificate_expired, certificate_not_yet_valid,
    certificate_key_usage, certificate_revoked, revocation_unknown, certificate_no_iin,
    certificate_malformed, certificate_not_ca, key_unreadable.
    """

    def __init__(self, code: str, message: str, *, field: str | None = "signature") -> None:
        super().__init__(code, message, field=field)
