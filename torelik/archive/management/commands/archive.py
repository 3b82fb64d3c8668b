"""`torelik archive …`: operations on the electronic case file.

    torelik archive verify [--from-seq N] [--workers N]   recompute the log, hash every blob
    torelik archive sign-tree-head [--if-grown]           sign a tree head now (cron / systemd timer)
    torelik archive purge [--dry-run]                     remove bytes whose retention period ended
    torelik archive key                                   print the archive's public key and its ID

`verify` exits with status 1 and names the first entry that does not match; purged blobs are
listed as "purged by policy", not as missing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from torelik.archive import services
from torelik.archive.keys import current_public_key, key_dir, key_id, public_pem
from torelik.archive.verification import VerifyReport, verify_archive
from torelik.identity.permissions import SYSTEM

MB = 1024 * 1024


class Command(BaseCommand):
    help = "Operations on the electronic case file: verify, sign-tree-head, purge, key."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Recompute the Merkle log and check every blob and tree head.")
        verify.add_argument("--from-seq", type=int, default=0, help="Hash blobs from this log position on.")
        verify.add_argument("--workers", type=int, default=2, help="Threads hashing blobs (default 2).")
        verify.add_argument("--quiet", action="store_true", help="Print only problems.")
        head = sub.add_parser("sign-tree-head", help="Sign a tree head over the log as it is now.")
        head.add_argument("--if-grown", action="store_true", help="Sign only if the log grew since the last.")
        purge = sub.add_parser("purge", help="Remove blobs whose retention period ended (tombstones stay).")
        purge.add_argument("--dry-run", action="store_true")
        sub.add_parser("key", help="Print the archive's public key (PEM) and key ID.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "verify":
            self.verify(options)
        elif action == "sign-tree-head":
            head = services.sign_tree_head(only_if_grown=options["if_grown"])
            if head is None:
                self.stdout.write("The latest tree head already covers the log; nothing signed.")
            else:
                self.stdout.write(
                    f"Signed tree head: size {head.tree_size}, root {bytes(head.root_hash).hex()}"
                )
        elif action == "purge":
            # The operator's timer runs it: the system acts, by the retention policy.
            results = services.purge_expired(actor=SYSTEM, dry_run=options["dry_run"])
            verb = "Would purge" if options["dry_run"] else "Purged"
            for r in results:
                self.stdout.write(
                    f"{verb} {r.sha256} ({r.size} bytes; {', '.join(r.document_types)}; "
                    f"retention ended {r.retention_until:%Y-%m-%d})"
                )
            self.stdout.write(f"{verb} {len(results)} blob(s).")
        elif action == "key":
            key = current_public_key()
            self.stdout.write(f"Key ID: {key_id(key)}\nDirectory: {key_dir()}\n{public_pem(key).decode()}")

    def verify(self, options: dict[str, Any]) -> None:
        quiet = options["quiet"]

        def progress(report: VerifyReport) -> None:
            if not quiet:
                self.stderr.write(f"… {report.entries} entries, {report.bytes_hashed / MB:.0f} MB hashed")

        report = verify_archive(from_seq=options["from_seq"], workers=options["workers"], progress=progress)
        if not quiet:
            rate = report.bytes_hashed / MB / report.seconds if report.seconds else 0.0
            self.stdout.write(
                f"{report.entries} log entries, {report.tree_heads} tree heads, "
                f"{report.blobs_hashed} blobs ({report.bytes_hashed / MB:.1f} MB) hashed "
                f"in {report.seconds:.1f} s ({rate:.0f} MB/s); "
                f"{report.unfiled_blobs} blob(s) not yet in the log."
            )
            for seq, sha in report.purged:
                self.stdout.write(f"Entry {seq}: {sha} purged by policy (tombstone).")
            if report.orphans:
                self.stdout.write(
                    f"{len(report.orphans)} stored file(s) with no blob row "
                    "(an interrupted upload; harmless)."
                )
        for problem in report.sorted_problems():
            self.stderr.write(f"[{problem.reason}] {problem.message}")
        first = report.first_problem()
        if first is not None:
            raise CommandError(f"Verification failed: {first.message}", returncode=1)
        if not quiet:
            self.stdout.write("OK: the log, its tree heads and the stored documents agree.")
