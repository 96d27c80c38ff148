"""A throwaway Postgres server for tests: initdb into a temporary folder, start on a free localhost port, stop.

Postgres refuses to run as root, so under root (CI) the server runs as the `postgres` user that the Debian package
creates (or `nobody` when it does not exist) in a folder owned by that user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

from tests.tools import free_port

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
INSTALL_HINT = (
    f"Postgres server binaries not found in {PG_BIN}: install them with `apt-get install -y postgresql-15` "
    "(or run scripts/install-postgres.sh), or set PG_BIN to another Postgres bin folder"
)
SUPERUSER = "postgres"


@dataclass
class PostgresServer:
    base: Path
    port: int
    process: subprocess.Popen

    def url(self, dbname: str = "postgres", user: str = SUPERUSER) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, name: str) -> str:
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'drop database if exists "{name}" with (force)')
            conn.execute(f'create database "{name}"')
        return self.url(name)

    @property
    def log(self) -> str:
        path = self.base / "postgres.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def kill(self) -> None:
        """SIGKILL the server's whole process group (postmaster and backends), as a crash or an evicted container."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def restart(self) -> None:
        """Start again on the same data folder and port (Postgres runs crash recovery after a kill)."""
        self.process = _launch(self.base, self.port)
        _wait_ready(self)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # SIGTERM: smart shutdown; the tests closed their connections
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.base, ignore_errors=True)


def binaries_present() -> bool:
    return all((PG_BIN / name).is_file() for name in ("initdb", "postgres"))


def start() -> PostgresServer:
    base = Path(tempfile.mkdtemp(prefix="data-stack-pg-"))
    run_as = _server_user()
    if run_as is not None:
        os.chown(base, run_as.pw_uid, run_as.pw_gid)
    data, sockets = base / "data", base / "sockets"
    initdb = [str(PG_BIN / "initdb"), "--pgdata", str(data), "--username", SUPERUSER, "--auth", "trust"]
    _run([*initdb, "--encoding", "UTF8", "--locale", "C", "--no-sync"], run_as)
    _run(["mkdir", str(sockets)], run_as)
    port = free_port()
    server = PostgresServer(base, port, _launch(base, port))
    _wait_ready(server)
    return server


def _launch(base: Path, port: int) -> subprocess.Popen:
    """The postmaster as a direct child in a process group of its own (so that it can be killed as a whole)."""
    settings = {
        "port": port,
        "listen_addresses": "127.0.0.1",
        "unix_socket_directories": base / "sockets",
        # a throwaway server: durability off for speed
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
    }
    options = [arg for name, value in settings.items() for arg in ("-c", f"{name}={value}")]
    log = open(base / "postgres.log", "ab")  # noqa: SIM115 - the server writes it until stop()
    process = subprocess.Popen(
        [str(PG_BIN / "postgres"), "-D", str(base / "data"), *options],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        **_as_user(_server_user()),
    )
    log.close()
    return process


def _wait_ready(server: PostgresServer) -> None:
    process = server.process
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            output = server.log
            server.stop()
            raise RuntimeError(f"Postgres exited with code {process.returncode}:\n{output}")
        try:
            psycopg.connect(server.url(), connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                output = server.log
                server.stop()
                raise RuntimeError(f"Postgres did not accept connections within 60s:\n{output}") from None
            time.sleep(0.2)


def _server_user() -> pwd.struct_passwd | None:
    """None: run as ourselves. Under root: the `postgres` system user, else `nobody`."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("Running as root and neither a `postgres` nor a `nobody` user exists to run Postgres")


def _as_user(user: pwd.struct_passwd | None) -> dict:
    if user is None:
        return {}
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "HOME": str(tempfile.gettempdir())}
    return {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": [], "env": env, "cwd": "/"}


def _run(cmd: list[str], user: pwd.struct_passwd | None) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120, **_as_user(user))
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
