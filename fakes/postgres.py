"""A private, throwaway PostgreSQL server for the test suite.

`PostgresServer` runs ``initdb`` into a fresh temporary directory, starts the
server on a free port of 127.0.0.1 only (plus a Unix socket inside that
directory), creates one database and tears everything down on `stop()`.
Durability is switched off because the data is thrown away anyway.

`postgres_url_for_tests()` is what fixtures should use: it honours
``COMPLAINTBOT_TEST_DATABASE_URL`` (an already running server) and otherwise
starts a private server for the duration of the ``with`` block.

Only the standard library is used, so this module works before the project's
dependencies are importable.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

__all__ = [
    "DATABASE_URL_ENV",
    "DEFAULT_DATABASE",
    "PostgresBinaries",
    "PostgresServer",
    "PostgresUnavailable",
    "find_postgres_binaries",
    "postgres_url_for_tests",
]

DATABASE_URL_ENV = "COMPLAINTBOT_TEST_DATABASE_URL"
"""Environment variable naming an existing server to use instead of starting one."""

DEFAULT_DATABASE = "complaintbot_test"
"""Name of the database created in a private server."""

SUPERUSER = "postgres"
HOST = "127.0.0.1"
# initdb and postgres refuse to run as root; this is the account Debian's
# postgresql package creates, and the one we switch to when we are root.
SYSTEM_USER = "postgres"
DEBIAN_BIN_GLOB = "/usr/lib/postgresql/*/bin"
REQUIRED_PROGRAMS = ("initdb", "pg_ctl", "postgres")
SERVER_SETTINGS = {
    "listen_addresses": f"'{HOST}'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
}
# Another process can grab the port between our probe and the server's bind.
START_ATTEMPTS = 3
LOG_TAIL_CHARS = 2000
_DB_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")

INSTALL_HINT = (
    "Install the PostgreSQL server (Debian/Ubuntu: `apt-get install postgresql`), "
    f"or set {DATABASE_URL_ENV} to the SQLAlchemy URL of an existing server, e.g. "
    "postgresql+asyncpg://postgres@127.0.0.1:5432/complaintbot_test"
)


class PostgresUnavailable(RuntimeError):
    """A private PostgreSQL server cannot be started on this machine."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"{reason}. {INSTALL_HINT}")
        self.reason = reason


@dataclass(frozen=True)
class PostgresBinaries:
    """Absolute paths of the server programs of one PostgreSQL installation."""

    initdb: Path
    pg_ctl: Path
    postgres: Path


def _version_key(bin_dir: Path) -> tuple[int, ...]:
    # The directory above bin/ is the major version: "15", "9.6", ...
    return tuple(int(part) for part in re.findall(r"\d+", bin_dir.parent.name))


def find_postgres_binaries() -> PostgresBinaries:
    """Find ``initdb``, ``pg_ctl`` and ``postgres``.

    PATH wins when it has all three; otherwise the newest Debian-style
    ``/usr/lib/postgresql/<version>/bin`` that has all three is used.

    Raises:
        PostgresUnavailable: when no installation is found.
    """
    on_path = [shutil.which(name) for name in REQUIRED_PROGRAMS]
    if all(on_path):
        initdb, pg_ctl, postgres = (Path(str(found)).resolve() for found in on_path)
        return PostgresBinaries(initdb=initdb, pg_ctl=pg_ctl, postgres=postgres)
    bin_dirs = sorted(
        (Path(found) for found in glob.glob(DEBIAN_BIN_GLOB)), key=_version_key, reverse=True
    )
    for bin_dir in bin_dirs:
        programs = [bin_dir / name for name in REQUIRED_PROGRAMS]
        if all(os.access(program, os.X_OK) for program in programs):
            initdb, pg_ctl, postgres = programs
            return PostgresBinaries(initdb=initdb, pg_ctl=pg_ctl, postgres=postgres)
    raise PostgresUnavailable(
        "PostgreSQL server programs (initdb, pg_ctl, postgres) were not found on PATH "
        f"nor in {DEBIAN_BIN_GLOB}"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def _tail(path: Path) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return text[-LOG_TAIL_CHARS:]


class PostgresServer:
    """A private PostgreSQL server in a temporary directory.

    Use it as a context manager, or call `start()` and `stop()`. When the
    current process is root the server runs as the ``postgres`` system user,
    because PostgreSQL refuses to run as root.
    """

    def __init__(
        self,
        database: str = DEFAULT_DATABASE,
        *,
        binaries: PostgresBinaries | None = None,
        timeout: float = 60.0,
    ) -> None:
        if not _DB_NAME.fullmatch(database):
            raise ValueError(f"unsupported database name: {database!r}")
        self.database = database
        self._binaries = binaries
        self._timeout = timeout
        self._run_as: pwd.struct_passwd | None = None
        self._base_dir: Path | None = None
        self._port: int | None = None
        self._running = False

    @property
    def base_dir(self) -> Path:
        """The temporary directory holding the data, the socket and the log."""
        if self._base_dir is None:
            raise RuntimeError("the PostgreSQL server has not been started")
        return self._base_dir

    @property
    def data_dir(self) -> Path:
        """The cluster's data directory (inside `base_dir`)."""
        return self.base_dir / "data"

    @property
    def socket_dir(self) -> Path:
        """The directory holding the server's Unix socket."""
        return self.base_dir

    @property
    def log_file(self) -> Path:
        """The server's log file."""
        return self.base_dir / "server.log"

    @property
    def port(self) -> int:
        """The TCP port the server listens on (on 127.0.0.1 only)."""
        if self._port is None or not self._running:
            raise RuntimeError("the PostgreSQL server is not running")
        return self._port

    @property
    def dsn(self) -> str:
        """A libpq-style URL, e.g. for ``asyncpg.connect``."""
        return f"postgresql://{SUPERUSER}@{HOST}:{self.port}/{self.database}"

    @property
    def url(self) -> str:
        """The SQLAlchemy async URL (asyncpg driver)."""
        return f"postgresql+asyncpg://{SUPERUSER}@{HOST}:{self.port}/{self.database}"

    def start(self) -> None:
        """Create the cluster, start the server and create the database.

        Raises:
            PostgresUnavailable: when the server programs, or (as root) the
                ``postgres`` system user, are missing.
            RuntimeError: when a step fails; the message holds its output.
        """
        if self._running:
            raise RuntimeError("the PostgreSQL server is already running")
        binaries = self._binaries = self._binaries or find_postgres_binaries()
        self._run_as = _system_user() if os.geteuid() == 0 else None
        try:
            self._base_dir = self._make_base_dir()
            self._initdb(binaries)
            self._create_database(binaries)
            self._start_server(binaries)
        except BaseException:
            self.stop()
            raise
        atexit.register(self.stop)

    def stop(self) -> None:
        """Stop the server and delete its directory; safe to call repeatedly."""
        atexit.unregister(self.stop)
        base_dir = self._base_dir
        if base_dir is None:
            return
        try:
            if self._binaries is not None and (self.data_dir / "postmaster.pid").exists():
                self._stop_server(self._binaries)
        finally:
            self._base_dir = None
            self._running = False
            self._port = None
            shutil.rmtree(base_dir, ignore_errors=True)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _make_base_dir(self) -> Path:
        run_as = self._run_as
        # As root, TMPDIR might sit under a directory the postgres user
        # cannot traverse; /tmp is world-traversable.
        parent = "/tmp" if run_as is not None else None
        base_dir = Path(tempfile.mkdtemp(prefix="complaintbot-pg-", dir=parent))
        if run_as is not None:
            os.chown(base_dir, run_as.pw_uid, run_as.pw_gid)
        return base_dir

    def _run(self, command: Sequence[str | Path], *, what: str, stdin: str | None = None) -> str:
        argv = [str(part) for part in command]
        run_as = self._run_as
        if run_as is not None:
            runuser = shutil.which("runuser")
            if runuser:
                argv = [runuser, "-u", run_as.pw_name, "--", *argv]
            else:
                argv = ["su", "-s", "/bin/sh", run_as.pw_name, "-c", shlex.join(argv)]
        # PG* variables (PGDATA, PGPORT, PGOPTIONS...) would leak a developer's
        # own settings into the private server.
        env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
        env["LC_ALL"] = "C"
        try:
            completed = subprocess.run(
                argv,
                input=stdin,
                capture_output=True,
                text=True,
                env=env,
                cwd=self.base_dir,
                timeout=self._timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise RuntimeError(
                f"{what} timed out after {self._timeout:g}s: {shlex.join(argv)}"
            ) from error
        output = completed.stdout + completed.stderr
        if completed.returncode != 0:
            raise RuntimeError(
                f"{what} failed (exit {completed.returncode}): {shlex.join(argv)}\n{output}"
            )
        return output

    def _initdb(self, binaries: PostgresBinaries) -> None:
        self._run(
            [
                binaries.initdb,
                "--pgdata",
                self.data_dir,
                "--username",
                SUPERUSER,
                "--auth",
                "trust",
                "--encoding",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ],
            what="initdb",
        )
        settings = "".join(f"{key} = {value}\n" for key, value in SERVER_SETTINGS.items())
        settings += f"unix_socket_directories = '{self.socket_dir}'\n"
        with (self.data_dir / "postgresql.conf").open("a") as conf:
            conf.write("\n# complaintbot test server\n" + settings)

    def _create_database(self, binaries: PostgresBinaries) -> None:
        # Single-user mode needs no client program and no running server.
        output = self._run(
            [binaries.postgres, "--single", "-D", self.data_dir, "-c", "exit_on_error=on"],
            what="creating the test database",
            stdin=f'CREATE DATABASE "{self.database}";\n',
        )
        if "ERROR:" in output:
            raise RuntimeError(f"creating the test database failed:\n{output}")

    def _start_server(self, binaries: PostgresBinaries) -> None:
        for attempt in range(1, START_ATTEMPTS + 1):
            port = _free_port()
            try:
                self._run(
                    [
                        binaries.pg_ctl,
                        "start",
                        "--pgdata",
                        self.data_dir,
                        "--log",
                        self.log_file,
                        "--wait",
                        "--timeout",
                        str(int(self._timeout)),
                        "-o",
                        f"-p {port}",
                    ],
                    what="pg_ctl start",
                )
            except RuntimeError as error:
                log = _tail(self.log_file)
                if attempt < START_ATTEMPTS and "could not bind" in log:
                    self.log_file.unlink(missing_ok=True)
                    continue
                raise RuntimeError(f"{error}\nserver log:\n{log}") from error
            self._port = port
            self._running = True
            return

    def _stop_server(self, binaries: PostgresBinaries) -> None:
        for mode in ("fast", "immediate"):
            try:
                self._run(
                    [binaries.pg_ctl, "stop", "--pgdata", self.data_dir, "--mode", mode],
                    what=f"pg_ctl stop --mode {mode}",
                )
                return
            except RuntimeError:
                if mode == "immediate":
                    raise


def _system_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        raise PostgresUnavailable(
            f"running as root, but there is no {SYSTEM_USER!r} system user to run "
            "PostgreSQL as (PostgreSQL refuses to run as root)"
        ) from None


@contextlib.contextmanager
def postgres_url_for_tests(database: str = DEFAULT_DATABASE) -> Iterator[str]:
    """Yield the SQLAlchemy URL of a PostgreSQL database for tests.

    ``COMPLAINTBOT_TEST_DATABASE_URL``, when set, is yielded as is and no
    server is started; otherwise a private `PostgresServer` runs for the
    duration of the ``with`` block.

    Raises:
        PostgresUnavailable: when no URL is configured and no server can be
            started here.
    """
    configured = os.environ.get(DATABASE_URL_ENV, "").strip()
    if configured:
        yield configured
        return
    with PostgresServer(database) as server:
        yield server.url
