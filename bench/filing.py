"""Filing throughput of the Judicial Office API: signed claims per second and their latency.

Prepares a fresh database (SQLite in a temporary directory, or a new database on the PostgreSQL
server named by TORELIK_DATABASE_URL), migrates it, loads the demo country, PKI and users, starts
gunicorn on 127.0.0.1 and files claims through /api/v1 from `--concurrency` clients at once.

One filing = POST /api/v1/submissions (a draft claim to court 7140), GET its signing-payload,
sign those bytes with the filer's demo key (detached CMS) and POST /submit with an
Idempotency-Key. With --attachment a one-page PDF is uploaded and signed too. Each client logs in
first as a real client does: POST /auth/challenge, sign the nonce (attached CMS), POST
/auth/login/eds, then session cookie + X-CSRFToken.

Signing runs in a separate process (one, like a filer's own machine would do it) so that the
event loop of the load generator stays responsive; its CPU is still spent on the same cores and
is reported. Usage:

    .venv/bin/python bench/filing.py --engine sqlite
    bash scripts/with-postgres.sh .venv/bin/python bench/filing.py --engine postgres
    .venv/bin/python bench/filing.py --engine sqlite --workers 2,3,4 --filings 1000
    .venv/bin/python bench/filing.py --engine sqlite --workers 1 --profile   # cProfile of the server
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import math
import multiprocessing
import os
import pstats
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
COURT = "7140"
FILERS = ("citizen", "entity")  # demo keys that file for themselves (a lawyer must name a client)
DRAFT: dict[str, Any] = {
    "type": "claim",
    "court": COURT,
    "category": "civ.loan",
    "title": "Қарызды өндіру туралы",
    "text": "Жауапкер 500 000 теңгені қайтармады.",
    "parties": [
        {"role": "defendant", "person_kind": "individual", "name": "Ахметов Болат", "iin": "791028302728"}
    ],
    "is_property": True,
    "claim_amount": "500000",
}
MAX_ERROR_BODIES = 5


# ---------------------------------------------------------------- the signer process


_SIGNER_KEYS: dict[str, Any] = {}


def _signer_init(pki_dir: str) -> None:
    from torelik.signatures.testca import DemoPki

    pki = DemoPki(Path(pki_dir))
    for key in FILERS:
        _SIGNER_KEYS[key] = pki.signing_key(key)


def _sign(key: str, data: bytes, detached: bool) -> tuple[bytes, float]:
    """DER CMS over `data` and the CPU seconds it took, in the signer process."""
    from torelik.signatures.signing import sign_cms

    started = time.process_time()
    der = sign_cms(key=_SIGNER_KEYS[key], data=data, detached=detached)
    return der, time.process_time() - started


class Signer:
    def __init__(self, pki_dir: Path) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.pool = ProcessPoolExecutor(
            max_workers=1, mp_context=ctx, initializer=_signer_init, initargs=(str(pki_dir),)
        )
        self.cpu_seconds = 0.0
        self.count = 0

    async def sign(self, key: str, data: bytes, *, detached: bool) -> str:
        loop = asyncio.get_running_loop()
        der, cpu = await loop.run_in_executor(self.pool, _sign, key, data, detached)
        self.cpu_seconds += cpu
        self.count += 1
        return base64.b64encode(der).decode()

    def close(self) -> None:
        self.pool.shutdown(wait=True)


# ---------------------------------------------------------------- CPU accounting from /proc


TICK = os.sysconf("SC_CLK_TCK")


def _proc_stat(pid: int) -> tuple[str, int, float] | None:
    """(comm, ppid, CPU seconds) of a process, None when it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    comm = raw[raw.index("(") + 1 : raw.rindex(")")]
    rest = raw[raw.rindex(")") + 2 :].split()
    return comm, int(rest[1]), (int(rest[11]) + int(rest[12])) / TICK


def _all_processes() -> dict[int, tuple[str, int, float]]:
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _proc_stat(int(entry.name))
            if stat is not None:
                found[int(entry.name)] = stat
    return found


def _machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    total = sum(fields[:8])
    idle = fields[3] + fields[4]
    return (total - idle) / TICK, total / TICK


@dataclass
class CpuSnapshot:
    groups: dict[str, float]
    machine_busy: float
    machine_total: float


def cpu_snapshot(*, server_pid: int, signer_pids: set[int], postmaster_pid: int | None) -> CpuSnapshot:
    """CPU seconds so far of the server, our PostgreSQL cluster, this process and the signer.

    "other" is whatever else ran on the machine meanwhile; it should stay near zero.
    """
    procs = _all_processes()
    groups = {"server": 0.0, "database": 0.0, "client": 0.0, "signer": 0.0}
    for pid, (_comm, ppid, cpu) in procs.items():
        if server_pid in (pid, ppid):
            groups["server"] += cpu
        elif postmaster_pid is not None and postmaster_pid in (pid, ppid):
            groups["database"] += cpu
        elif pid in signer_pids:
            groups["signer"] += cpu
    usage = os.times()
    groups["client"] = usage.user + usage.system
    busy, total = _machine_busy()
    return CpuSnapshot(groups, busy, total)


def postmaster_pid(env: dict[str, str]) -> int | None:
    """The PostgreSQL server's process, when it runs on this machine and we may read its directory."""
    url = env.get("TORELIK_DATABASE_URL")
    if not url:
        return None
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT current_setting('data_directory')").fetchone()
        return int((Path(row[0]) / "postmaster.pid").read_text().split()[0]) if row else None
    except (psycopg.Error, OSError, ValueError, IndexError):
        return None


# ---------------------------------------------------------------- the database and the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def torelik(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "torelik.cli", *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"torelik {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@contextmanager
def fresh_database(engine: str, tmp: Path, run: int) -> Iterator[dict[str, str]]:
    """The environment of a freshly migrated database with the demo data loaded."""
    env = {
        "DJANGO_SETTINGS_MODULE": "torelik.settings",  # another module may be given for experiments
        **os.environ,
        "PYTHONWARNINGS": "ignore:No directory at:UserWarning",  # no collectstatic in the temp dir
        "TORELIK_VAR_DIR": str(tmp / "var"),
        "TORELIK_ARCHIVE_ROOT": str(tmp / "archive"),
        "TORELIK_PKI_DIR": str(tmp / "pki"),
        "TORELIK_DEBUG": "0",
        "TORELIK_DEMO": "1",  # the demo country, keys and bank are what the filings go through
        "TORELIK_LOG_LEVEL": "WARNING",
        "TORELIK_OCSP_URL": "",
    }
    (tmp / "var").mkdir(parents=True)
    dropper = None
    if engine == "postgres":
        url = os.environ.get("TORELIK_DATABASE_URL", "")
        if not url.startswith(("postgres://", "postgresql://")):
            raise SystemExit("--engine postgres needs TORELIK_DATABASE_URL (see scripts/with-postgres.sh)")
        env["TORELIK_DATABASE_URL"], dropper = _create_pg_database(url, f"torelik_bench_{os.getpid()}_{run}")
    else:
        env.pop("TORELIK_DATABASE_URL", None)
    try:
        started = time.perf_counter()
        torelik(env, "migrate", "--noinput", "-v0")
        torelik(env, "load-demo")
        print(f"  database ready in {time.perf_counter() - started:.1f} s", flush=True)
        yield env
    finally:
        if dropper is not None:
            dropper()


def _create_pg_database(url: str, name: str) -> tuple[str, Any]:
    import psycopg

    parsed = urlparse(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunparse(parsed._replace(path="/" + name)), drop


PROFILE_HOOKS = """
import cProfile, os
_profile = []
def post_worker_init(worker):
    profile = cProfile.Profile()
    _profile.append(profile)
    profile.enable()
def worker_exit(server, worker):
    if _profile:
        _profile[0].disable()
        _profile[0].dump_stats(os.path.join({out!r}, "worker-%d.prof" % os.getpid()))
"""


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str
    log: Path
    profile_dir: Path | None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # graceful: workers finish and run worker_exit
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(
    env: dict[str, str], tmp: Path, *, workers: int, worker_class: str, threads: int, profile: bool
) -> Server:
    port = free_port()
    log = tmp / "gunicorn.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "torelik.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
        "--log-level",
        "warning",
    ]
    if worker_class == "gthread":
        command += ["--threads", str(threads)]
    profile_dir = None
    if profile:
        profile_dir = tmp / "profile"
        profile_dir.mkdir()
        conf = tmp / "gunicorn_profile.py"
        conf.write_text(PROFILE_HOOKS.format(out=str(profile_dir)))
        command += ["--config", str(conf)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(f"{base}/api/v1/submission-types", timeout=2).read()
            break
        except urllib.error.HTTPError:
            break  # the application answers
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        raise SystemExit(f"gunicorn did not answer within 60 s:\n{log.read_text()[-3000:]}")
    return Server(process, base, log, profile_dir)


# ---------------------------------------------------------------- the clients


class FilingError(Exception):
    def __init__(self, step: str, status: int, body: str) -> None:
        super().__init__(f"{step}: HTTP {status}: {body}")
        self.step, self.status, self.body = step, status, body


@dataclass
class Sample:
    total: float
    draft: float
    payload: float
    sign: float
    submit: float
    attach: float = 0.0


@dataclass
class Tally:
    samples: list[Sample] = field(default_factory=list)
    errors: list[FilingError] = field(default_factory=list)


class Client:
    """One filer's program: its own session cookie and one connection at a time."""

    def __init__(self, base: str, key: str, signer: Signer, run_tag: str, attachment: bool) -> None:
        self.base, self.key, self.signer, self.run_tag, self.attachment = (
            base,
            key,
            signer,
            run_tag,
            attachment,
        )
        self.session = aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True),  # unsafe: keep cookies of an IP address host
            connector=aiohttp.TCPConnector(limit=1),
            timeout=aiohttp.ClientTimeout(total=120),
        )
        self.csrf = ""

    async def close(self) -> None:
        await self.session.close()

    def _cookie(self, name: str) -> str:
        for cookie in self.session.cookie_jar:
            if cookie.key == name:
                return cookie.value
        return ""

    async def call(
        self, step: str, method: str, path: str, *, expect: int, key: str | None = None, **kwargs: Any
    ) -> Any:
        headers = {"X-CSRFToken": self.csrf} if self.csrf else {}
        if key:
            headers["Idempotency-Key"] = key
        async with self.session.request(method, self.base + path, headers=headers, **kwargs) as response:
            body = await response.read()
            if response.status != expect:
                raise FilingError(step, response.status, body[:500].decode(errors="replace"))
            return json.loads(body) if body else None

    async def login(self) -> float:
        started = time.perf_counter()
        challenge = await self.call("challenge", "POST", "/api/v1/auth/challenge", expect=200)
        self.csrf = self._cookie("csrftoken")
        cms = await self.signer.sign(self.key, challenge["nonce"].encode("ascii"), detached=False)
        await self.call(
            "login",
            "POST",
            "/api/v1/auth/login/eds",
            expect=200,
            json={"nonce": challenge["nonce"], "cms": cms},
        )
        self.csrf = self._cookie("csrftoken")  # Django rotates the token at login
        if not self.csrf or not self._cookie("sessionid"):
            raise FilingError("login", 200, "no sessionid/csrftoken cookie after login")
        return time.perf_counter() - started

    async def file(self, n: int) -> Sample:
        from torelik.efiling.testing import make_pdf

        t0 = time.perf_counter()
        draft = {**DRAFT, "title": f"{DRAFT['title']} №{n}"}
        created = await self.call(
            "draft", "POST", "/api/v1/submissions", expect=201, key=f"{self.run_tag}-{n}-draft", json=draft
        )
        url = f"/api/v1/submissions/{created['id']}"
        t1 = time.perf_counter()
        pdf = b""
        if self.attachment:
            pdf = make_pdf(f"Loan agreement {self.run_tag} {n}")
            form = aiohttp.FormData()
            form.add_field("file", pdf, filename="agreement.pdf", content_type="application/pdf")
            form.add_field("title", "Loan agreement")
            await self.call(
                "attach", "POST", f"{url}/documents", expect=201, key=f"{self.run_tag}-{n}-doc", data=form
            )
        t2 = time.perf_counter()
        signing = await self.call("signing-payload", "GET", f"{url}/signing-payload", expect=200)
        payload = base64.b64decode(signing["payload_base64"])
        t3 = time.perf_counter()
        body_cms = await self.signer.sign(self.key, payload, detached=True)
        documents = [
            {"id": d["id"], "cms": await self.signer.sign(self.key, pdf, detached=True)}
            for d in signing["documents"]
        ]
        t4 = time.perf_counter()
        submitted = await self.call(
            "submit",
            "POST",
            f"{url}/submit",
            expect=200,
            key=f"{self.run_tag}-{n}-submit",
            json={"body_cms": body_cms, "documents": documents},
        )
        t5 = time.perf_counter()
        if submitted.get("status") != "awaiting_payment":
            raise FilingError("submit", 200, f"status {submitted.get('status')!r}, not awaiting_payment")
        return Sample(
            total=t5 - t0, draft=t1 - t0, attach=t2 - t1, payload=t3 - t2, sign=t4 - t3, submit=t5 - t4
        )


async def drive(clients: list[Client], first: int, count: int, tally: Tally) -> float:
    """Files `count` claims numbered from `first`, clients taking the next number when free."""
    numbers = iter(range(first, first + count))

    async def worker(client: Client) -> None:
        for n in numbers:
            try:
                tally.samples.append(await client.file(n))
            except FilingError as exc:
                tally.errors.append(exc)
            except (TimeoutError, aiohttp.ClientError) as exc:
                tally.errors.append(FilingError("connection", 0, repr(exc)))

    started = time.perf_counter()
    await asyncio.gather(*(worker(c) for c in clients))
    return time.perf_counter() - started


async def drive_floor(clients: list[Client], count: int) -> tuple[float, list[float]]:
    """`count` GET /api/v1/auth/me: session and user lookup and nothing else, the stack's floor."""
    numbers = iter(range(count))
    latencies: list[float] = []

    async def worker(client: Client) -> None:
        for _n in numbers:
            started = time.perf_counter()
            await client.call("me", "GET", "/api/v1/auth/me", expect=200)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker(c) for c in clients))
    return time.perf_counter() - started, latencies


# ---------------------------------------------------------------- one run


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


@dataclass
class RunResult:
    engine: str
    workers: int
    worker_class: str
    threads: int
    attachment: bool
    filings: int
    ok: int
    errors: int
    error_samples: list[str]
    seconds: float
    filings_per_s: float
    latency_ms: dict[str, float]
    submit_ms: dict[str, float]
    stages_p50_ms: dict[str, float]
    login_ms: dict[str, float]
    sign_cpu_ms: float
    cpu_ms_per_filing: dict[str, float]
    machine_busy_pct: float
    other_pct: float
    floor: dict[str, Any] | None
    verified: dict[str, int]
    profiled: bool


def summary_ms(values: list[float]) -> dict[str, float]:
    return {
        "p50": pct(values, 0.50) * 1000,
        "p90": pct(values, 0.90) * 1000,
        "p99": pct(values, 0.99) * 1000,
        "max": (max(values) if values else float("nan")) * 1000,
    }


VERIFY = """
import json
from django.db.models import Count
from torelik.efiling.models import Submission
print(json.dumps(dict(Submission.objects.values_list("status").annotate(n=Count("id")).order_by())))
"""


async def load(
    args: argparse.Namespace, base: str, pki_dir: Path, run_tag: str, server_pid: int, db_pid: int | None
) -> dict[str, Any]:
    signer = Signer(pki_dir)
    try:
        await asyncio.get_running_loop().run_in_executor(signer.pool, _sign, FILERS[0], b"warm", True)
        signer_pids = {p.pid for p in signer.pool._processes.values()}
        clients = [
            Client(base, FILERS[i % len(FILERS)], signer, run_tag, args.attachment)
            for i in range(args.concurrency)
        ]
        try:
            logins = list(await asyncio.gather(*(c.login() for c in clients)))
            warm = Tally()
            await drive(clients, 0, args.warmup, warm)
            if warm.errors:
                print(f"  warm-up: {len(warm.errors)} errors, first: {warm.errors[0]}", flush=True)
            tally = Tally()
            signer.cpu_seconds, signer.count = 0.0, 0
            pids = {"server_pid": server_pid, "signer_pids": signer_pids, "postmaster_pid": db_pid}
            before = cpu_snapshot(**pids)
            seconds = await drive(clients, args.warmup, args.filings, tally)
            after = cpu_snapshot(**pids)
            floor: dict[str, Any] | None = None
            if args.floor:
                floor_before = cpu_snapshot(**pids)
                floor_seconds, floor_latencies = await drive_floor(clients, args.floor)
                floor_after = cpu_snapshot(**pids)
                floor = {
                    "requests": len(floor_latencies),
                    "requests_per_s": len(floor_latencies) / floor_seconds,
                    "latency_ms": summary_ms(floor_latencies),
                    "cpu_ms_per_request": {
                        name: (floor_after.groups[name] - floor_before.groups[name])
                        * 1000
                        / max(len(floor_latencies), 1)
                        for name in floor_before.groups
                    },
                }
        finally:
            for c in clients:
                await c.close()
    finally:
        signer.close()
    return {
        "logins": logins,
        "warm": warm,
        "tally": tally,
        "seconds": seconds,
        "before": before,
        "after": after,
        "sign_cpu": signer.cpu_seconds / max(signer.count, 1),
        "floor": floor,
    }


def one_run(args: argparse.Namespace, workers: int, run: int) -> RunResult:
    tmp = Path(tempfile.mkdtemp(prefix="torelik-bench-"))
    label = f"{args.engine}, {workers} × {args.worker_class}" + (
        f" ({args.threads} threads)" if args.worker_class == "gthread" else ""
    )
    print(
        f"\n== {label}: {args.warmup} warm-up + {args.filings} filings, concurrency {args.concurrency}",
        flush=True,
    )
    try:
        with fresh_database(args.engine, tmp, run) as env:
            if args.wait_idle > 0:
                wait_until_idle(args.wait_idle)
            server = start_server(
                env,
                tmp,
                workers=workers,
                worker_class=args.worker_class,
                threads=args.threads,
                profile=args.profile,
            )
            try:
                out = asyncio.run(
                    load(
                        args,
                        server.base,
                        tmp / "pki",
                        f"r{run}-{os.getpid()}",
                        server.process.pid,
                        postmaster_pid(env),
                    )
                )
            finally:
                server.stop()
            if server.profile_dir is not None:
                print_profile(server.profile_dir, args.profile_lines)
            log_tail = server.log.read_text(errors="replace").strip()
            if log_tail:
                print("  gunicorn log (tail):\n    " + "\n    ".join(log_tail.splitlines()[-15:]))
            verified = json.loads(torelik(env, "shell", "-c", VERIFY).strip().splitlines()[-1])
    finally:
        if args.keep:
            print(f"  kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    tally: Tally = out["tally"]
    warm: Tally = out["warm"]
    ok = len(tally.samples)
    before: CpuSnapshot = out["before"]
    after: CpuSnapshot = out["after"]
    per_filing = {
        name: (after.groups[name] - before.groups[name]) * 1000 / max(ok, 1) for name in before.groups
    }
    capacity = max(after.machine_total - before.machine_total, 1e-9)
    busy = (after.machine_busy - before.machine_busy) / capacity
    ours = sum(after.groups[name] - before.groups[name] for name in before.groups)
    other = max(0.0, (after.machine_busy - before.machine_busy) - ours) / capacity
    expected = len(warm.samples) + ok
    awaiting = verified.get("awaiting_payment", 0)
    if awaiting != expected:
        print(f"  VERIFY FAILED: {awaiting} submissions awaiting payment, {expected} expected", flush=True)
    stages = (
        ["draft", "attach", "payload", "sign", "submit"]
        if args.attachment
        else ["draft", "payload", "sign", "submit"]
    )
    return RunResult(
        engine=args.engine,
        workers=workers,
        worker_class=args.worker_class,
        threads=args.threads if args.worker_class == "gthread" else 1,
        attachment=args.attachment,
        filings=args.filings,
        ok=ok,
        errors=len(tally.errors),
        error_samples=[str(e) for e in tally.errors[:MAX_ERROR_BODIES]],
        seconds=out["seconds"],
        filings_per_s=ok / out["seconds"],
        latency_ms=summary_ms([s.total for s in tally.samples]),
        submit_ms=summary_ms([s.submit for s in tally.samples]),
        stages_p50_ms={name: pct([getattr(s, name) for s in tally.samples], 0.5) * 1000 for name in stages},
        login_ms=summary_ms(out["logins"]),
        sign_cpu_ms=out["sign_cpu"] * 1000,
        cpu_ms_per_filing=per_filing,
        machine_busy_pct=busy * 100,
        other_pct=other * 100,
        floor=out["floor"],
        verified={"awaiting_payment": awaiting, "expected": expected, **verified},
        profiled=args.profile,
    )


def print_profile(directory: Path, lines: int) -> None:
    files = sorted(directory.glob("worker-*.prof"))
    if not files:
        print("  (no profile written)")
        return
    stats = pstats.Stats(*[str(f) for f in files])
    stats.strip_dirs()
    for order in ("cumulative", "tottime"):
        print(f"\n  -- server profile ({len(files)} worker(s)), by {order} --")
        stats.sort_stats(order).print_stats(lines)


# ---------------------------------------------------------------- output


def print_table(results: list[RunResult]) -> None:
    print("\nfilings/s; latency of one whole filing and of the submit request alone, in ms")
    print(
        f"{'engine':<9}{'workers':>8}{'filings':>8}{'errors':>7}{'fil/s':>7}"
        f"{'p50':>7}{'p90':>7}{'p99':>7}{'max':>7}{'sub p50':>8}{'sub p99':>8}{'busy%':>6}{'other%':>7}"
    )
    for r in results:
        workers = f"{r.workers}{'x' + str(r.threads) + 't' if r.worker_class == 'gthread' else ''}"
        lat, sub = r.latency_ms, r.submit_ms
        print(
            f"{r.engine:<9}{workers:>8}{r.ok:>8}{r.errors:>7}{r.filings_per_s:>7.1f}"
            f"{lat['p50']:>7.0f}{lat['p90']:>7.0f}{lat['p99']:>7.0f}{lat['max']:>7.0f}"
            f"{sub['p50']:>8.0f}{sub['p99']:>8.0f}{r.machine_busy_pct:>6.0f}{r.other_pct:>7.0f}"
        )
    print("busy% = whole machine; other% = processes outside this benchmark (should be ~0)")
    for r in results:
        cpu = ", ".join(f"{k} {v:.1f}" for k, v in r.cpu_ms_per_filing.items())
        stages = ", ".join(f"{k} {v:.1f}" for k, v in r.stages_p50_ms.items())
        flag = " (PROFILED: slowed by cProfile)" if r.profiled else ""
        print(f"\n[{r.engine}, {r.workers} {r.worker_class} workers]{flag}")
        print(f"  stage p50 ms: {stages}")
        print(f"  CPU ms per filing: {cpu}; one CMS signature {r.sign_cpu_ms:.2f} ms CPU")
        print(f"  login p50 {r.login_ms['p50']:.0f} ms, max {r.login_ms['max']:.0f} ms")
        print(f"  verified in the database: {r.verified}")
        if r.floor:
            f = r.floor
            cpu = ", ".join(f"{k} {v:.2f}" for k, v in f["cpu_ms_per_request"].items())
            print(
                f"  floor, GET /api/v1/auth/me: {f['requests_per_s']:.0f} requests/s, "
                f"p50 {f['latency_ms']['p50']:.1f} ms, p99 {f['latency_ms']['p99']:.1f} ms"
            )
            print(f"    CPU ms per request: {cpu}")
        for sample in r.error_samples:
            print(f"  error: {sample}")


def wait_until_idle(limit: float, threshold: float = 0.10) -> None:
    """Waits up to `limit` seconds for the machine to be nearly idle, so others' work does not count."""
    deadline = time.monotonic() + limit
    while True:
        busy0, total0 = _machine_busy()
        time.sleep(2)
        busy1, total1 = _machine_busy()
        share = (busy1 - busy0) / max(total1 - total0, 1e-9)
        if share <= threshold:
            return
        if time.monotonic() > deadline:
            print(f"  the machine is still {share:.0%} busy with other work; measuring anyway", flush=True)
            return


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--filings", type=int, default=2000, help="measured filings (default 2000)")
    parser.add_argument("--warmup", type=int, default=100, help="filings before measuring (default 100)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", default="3", help="gunicorn workers; a comma list runs each (default 3)")
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    parser.add_argument("--threads", type=int, default=2, help="threads per gthread worker")
    parser.add_argument("--attachment", action="store_true", help="upload and sign a one-page PDF per filing")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile every worker (slows it; not for figures)"
    )
    parser.add_argument("--profile-lines", type=int, default=40)
    parser.add_argument(
        "--floor",
        type=int,
        default=0,
        metavar="N",
        help="afterwards, time N GET /api/v1/auth/me (the framework's floor: session + user, no work)",
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=120,
        help="wait up to this many s for an idle machine (default 120)",
    )
    args = parser.parse_args(argv)

    results = [one_run(args, int(w), run) for run, w in enumerate(args.workers.split(","))]
    print_table(results)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2, ensure_ascii=False))
    return (
        1 if any(r.errors or r.verified["awaiting_payment"] != r.verified["expected"] for r in results) else 0
    )


if __name__ == "__main__":
    sys.exit(main())
