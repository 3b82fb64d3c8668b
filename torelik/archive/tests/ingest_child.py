"""A process that files documents without end, for the crash test (killed with SIGKILL).

Prints the log position of each filing once it has committed, and signs a tree head every
seven filings, so the kill can land anywhere: between writing the bytes and the row, inside
the log transaction, or while signing.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "torelik.settings")

import django

django.setup()

from torelik.archive import services  # noqa: E402


def main() -> None:
    buffer = os.urandom(256 * 1024)
    i = 0
    while True:
        data = b"%PDF-1.7\n" + i.to_bytes(8, "big") + os.urandom(16) + buffer[: 20_000 + (i * 7919) % 200_000]
        blob = services.store_blob(data=data, content_type="application/pdf")
        entry = services.file_document(blob=blob, document_type="attachment", case_number=f"7140-26-00-2/{i}")
        if i % 7 == 6:
            services.sign_tree_head()
        sys.stdout.write(f"{entry.seq}\n")
        sys.stdout.flush()
        i += 1


if __name__ == "__main__":
    main()
