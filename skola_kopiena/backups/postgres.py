"""The PostgreSQL side of a backup: connection parameters, pg_dump and pg_restore, and the
row counts and content checksums that prove a restore complete.

The client tools come from Debian's `postgresql-client`. Passwords reach them through
`PGPASSWORD` in their environment, never on their command line (visible in `ps`).
"""

import os
import re
import shutil
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass, field

import environ
import psycopg
from django.core.management.base import CommandError
from psycopg import sql
from psycopg.conninfo import make_conninfo

APPLICATION_NAME = "skola-kopiena-backup"

# Keys of Django's DATABASES["default"]["OPTIONS"] that are Django's or psycopg's, not libpq's.
NOT_LIBPQ_OPTIONS = {
    "assume_role",
    "context",
    "cursor_factory",
    "isolation_level",
    "pool",
    "prepare_threshold",
    "server_side_binding",
}

# Every table of the database: ordinary and partitioned, outside the system schemas, not
# belonging to an extension (pg_dump leaves those to CREATE EXTENSION).
TABLES = """
SELECT n.nspname, c.relname
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')
  AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend d
    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
  )
ORDER BY 1, 2
"""

# Any relation (table, sequence, view, index) outside the system schemas: a fresh database
# has none.
RELATIONS = """
SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
"""

# A row's text form depends on these session settings; both sides of a comparison use the same.
STABLE_TEXT = [
    "SET TIME ZONE 'UTC'",
    "SET DateStyle = 'ISO, YMD'",
    "SET IntervalStyle = 'postgres'",
    "SET extra_float_digits = 1",
    "SET bytea_output = 'hex'",
]

# Rows and an order-independent checksum of their content: the sum of the first 64 bits of
# each row's MD5. It streams (no table is held in memory) and catches a changed value, not
# only a lost row. Not a defence against forgery: for that the archive would need a signature.
COUNT_AND_CHECKSUM = """
SELECT count(*), coalesce(sum(('x' || left(md5(ROW(r.*)::text), 16))::bit(64)::bigint), 0)::text
FROM {table} AS r
"""


def major(version_text):
    """15 from 'pg_dump (PostgreSQL) 15.20 (Debian ...)' or from '150020'."""
    if version_text.isdigit():
        return int(version_text) // 10000
    match = re.search(r"\)\s+(\d+)", version_text) or re.search(r"(\d+)", version_text)
    if not match:
        raise CommandError(f"Cannot read a PostgreSQL version from {version_text!r}.")
    return int(match.group(1))


def tool(name):
    """The path of pg_dump / pg_restore and its version line."""
    path = shutil.which(name)
    if not path:
        raise CommandError(
            f"{name} was not found. Install the PostgreSQL client tools of the server's major "
            "version (Debian: apt-get install postgresql-client)."
        )
    result = subprocess.run(  # noqa: S603 - fixed argv
        [path, "--version"], capture_output=True, text=True, check=True
    )
    return path, result.stdout.strip()


@dataclass(frozen=True)
class Database:
    """One PostgreSQL database, as libpq connection parameters."""

    params: dict = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings_dict):
        engine = settings_dict.get("ENGINE", "")
        if "postgresql" not in engine:
            raise CommandError(
                f"Backups are made of PostgreSQL databases; this one uses {engine or 'nothing'}."
            )
        params = {
            "dbname": settings_dict.get("NAME") or "",
            "user": settings_dict.get("USER") or "",
            "password": settings_dict.get("PASSWORD") or "",
            "host": settings_dict.get("HOST") or "",
            "port": str(settings_dict.get("PORT") or ""),
        }
        for key, value in (settings_dict.get("OPTIONS") or {}).items():
            if key not in NOT_LIBPQ_OPTIONS:
                params[key] = str(value)
        return cls({key: value for key, value in params.items() if value != ""})

    @classmethod
    def from_url(cls, url):
        try:
            config = environ.Env.db_url_config(url)
        except Exception as error:
            raise CommandError(f"Cannot read the database URL: {error}") from error
        if "postgresql" not in config.get("ENGINE", ""):
            raise CommandError("--database-url must be a PostgreSQL URL (postgres://...).")
        if not config.get("NAME"):
            raise CommandError("--database-url must name a database (postgres://.../NAME).")
        return cls.from_settings(config)

    @property
    def name(self):
        return self.params.get("dbname", "")

    def named(self, name):
        return Database({**self.params, "dbname": name})

    def __str__(self):
        where = self.params.get("host", "local socket")
        if "port" in self.params:
            where += f":{self.params['port']}"
        return f'database "{self.name}" on {where}'

    def connect(self, **kwargs):
        try:
            return psycopg.connect(application_name=APPLICATION_NAME, **self.params, **kwargs)
        except psycopg.OperationalError as error:
            raise CommandError(f"Cannot connect to {self}: {error}".strip()) from error

    def exists(self):
        with self.maintenance() as conn:
            found = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [self.name]
            ).fetchone()
        return bool(found)

    @contextmanager
    def maintenance(self):
        """A connection to the server's `postgres` database (or `template1` where there is
        none), for CREATE and DROP DATABASE."""
        try:
            conn = self.named("postgres").connect(autocommit=True)
        except CommandError:
            conn = self.named("template1").connect(autocommit=True)
        try:
            yield conn
        finally:
            conn.close()

    def tool_args(self):
        """`--dbname` for pg_dump/pg_restore (without the password) and their environment."""
        params = {k: v for k, v in self.params.items() if k != "password"}
        env = {**os.environ, "PGAPPNAME": APPLICATION_NAME}
        if "password" in self.params:
            env["PGPASSWORD"] = self.params["password"]
        return [f"--dbname={make_conninfo(**params)}"], env


def server_info(conn):
    """What a restore needs to make a like database: version, encoding and locale."""
    version_num = int(conn.execute("SHOW server_version_num").fetchone()[0])
    columns = "pg_encoding_to_char(encoding), datcollate, datctype"
    if version_num >= 170000:
        columns += ", datlocprovider, datlocale"
    elif version_num >= 150000:
        columns += ", datlocprovider, daticulocale"
    row = conn.execute(
        sql.SQL("SELECT {} FROM pg_database WHERE datname = current_database()").format(
            sql.SQL(columns)
        )
    ).fetchone()
    info = {
        "server_version": conn.execute("SHOW server_version").fetchone()[0],
        "server_version_num": version_num,
        "encoding": row[0],
        "lc_collate": row[1],
        "lc_ctype": row[2],
        "locale_provider": "libc",
        "icu_locale": None,
    }
    if len(row) > 3 and row[3] == "i":
        info["locale_provider"], info["icu_locale"] = "icu", row[4]
    return info


def table_contents(conn):
    """{"schema.table": {"rows": n, "checksum": "..."}} for every table, as `conn` sees them."""
    for statement in STABLE_TEXT:
        conn.execute(statement)
    contents = {}
    for schema, table in conn.execute(TABLES).fetchall():
        rows, checksum = conn.execute(
            sql.SQL(COUNT_AND_CHECKSUM).format(table=sql.Identifier(schema, table))
        ).fetchone()
        contents[f"{schema}.{table}"] = {"rows": rows, "checksum": checksum}
    return contents


def referenced_files(conn, columns):
    """Every file name stored in the given (table, column) pairs that exist in this database."""
    present = set(
        conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema()"
        ).fetchall()
    )
    names = set()
    for table, column in columns:
        if (table, column) not in present:
            continue
        query = sql.SQL("SELECT DISTINCT {c} FROM {t} WHERE {c} IS NOT NULL AND {c} <> ''")
        rows = conn.execute(
            query.format(c=sql.Identifier(column), t=sql.Identifier(table))
        ).fetchall()
        names.update(row[0] for row in rows)
    return names


@contextmanager
def snapshot(database):
    """A read-only REPEATABLE READ transaction that exports its snapshot: pg_dump --snapshot
    dumps exactly what this transaction counts. Yields (connection, snapshot id)."""
    conn = database.connect()
    try:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        snapshot_id = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        yield conn, snapshot_id
        conn.rollback()
    finally:
        conn.close()


def start_dump(database, snapshot_id, path):
    """pg_dump of the snapshot into `path` (custom format, uncompressed: the archive is
    gzipped). Returns the running process; `finish` waits for it."""
    pg_dump, _ = tool("pg_dump")
    dbname, env = database.tool_args()
    argv = [
        pg_dump,
        "--format=custom",
        "--compress=0",
        f"--snapshot={snapshot_id}",
        f"--file={path}",
        *dbname,
    ]
    return subprocess.Popen(  # noqa: S603 - fixed argv, no shell
        argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )


def finish(process, what):
    _, stderr = process.communicate()
    if process.returncode != 0:
        raise CommandError(f"{what} failed (exit {process.returncode}):\n{stderr.strip()}")


def is_empty(conn):
    return conn.execute(RELATIONS).fetchone()[0] == 0


def create_like(database, info):
    """CREATE DATABASE with the source's encoding and locale, from the pristine template0."""
    options = [
        sql.SQL("TEMPLATE template0 ENCODING {} LC_COLLATE {} LC_CTYPE {}").format(
            sql.Literal(info["encoding"]),
            sql.Literal(info["lc_collate"]),
            sql.Literal(info["lc_ctype"]),
        )
    ]
    if info.get("locale_provider") == "icu":
        options.append(
            sql.SQL("LOCALE_PROVIDER icu ICU_LOCALE {}").format(sql.Literal(info["icu_locale"]))
        )
    create(database, *options)


def create(database, *options):
    """CREATE DATABASE, with `options` (SQL) after its name; refused with the reason."""
    with database.maintenance() as conn:
        try:
            conn.execute(
                sql.SQL("CREATE DATABASE {} {}").format(
                    sql.Identifier(database.name), sql.SQL(" ").join(options)
                )
            )
        except psycopg.Error as error:
            raise CommandError(f"Cannot create {database}: {error}".strip()) from error


def drop(database):
    with database.maintenance() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database.name))
        )


def restore(database, dump_path, workdir):
    """pg_restore into an empty database, all or nothing (one transaction, stop at the first
    error). Objects are owned by the restoring user; grants are not restored. The comment on
    an extension is skipped: only the extension's owner (a superuser) may set it, and it
    carries no data."""
    pg_restore, _ = tool("pg_restore")
    listing = subprocess.run(  # noqa: S603 - fixed argv
        [pg_restore, "--list", str(dump_path)], capture_output=True, text=True, check=False
    )
    if listing.returncode != 0:
        raise CommandError(f"pg_restore cannot read the dump:\n{listing.stderr.strip()}")
    entries = [line for line in listing.stdout.splitlines() if " COMMENT - EXTENSION " not in line]
    list_path = workdir / "restore.list"
    list_path.write_text("\n".join(entries) + "\n", encoding="utf-8")
    dbname, env = database.tool_args()
    argv = [
        pg_restore,
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        f"--use-list={list_path}",
        *dbname,
        str(dump_path),
    ]
    process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
        argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    finish(process, "pg_restore")
