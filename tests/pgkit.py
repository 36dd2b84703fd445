"""The tests' PostgreSQL: the throwaway cluster that scripts/with-postgres.sh starts (VANTHU_TEST_PG).

Each test that asks gets a database of its own, made from a template that has
the extensions the search needs (unaccent, pg_trgm), and dropped afterwards.
"""
import os
import uuid

TEMPLATE = "vanthu_test_template"
EXTENSIONS = ("unaccent", "pg_trgm")
NOT_AVAILABLE = ("PostgreSQL not available: run the tests through scripts/with-postgres.sh "
                 "(make test does), which starts a throwaway cluster and sets VANTHU_TEST_PG")


def server_url():
    return os.environ.get("VANTHU_TEST_PG")


def admin(url):
    import psycopg
    return psycopg.connect(url, autocommit=True, connect_timeout=10)


def database_url(url, name):
    """``url`` with its database name swapped for ``name``."""
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


def prepare_template(url):
    """The template every test database is copied from (made once per run)."""
    with admin(url) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (TEMPLATE,)).fetchone() is None:
            conn.execute(f"CREATE DATABASE {TEMPLATE} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'")
    with admin(database_url(url, TEMPLATE)) as conn:
        for name in EXTENSIONS:
            conn.execute(f"CREATE EXTENSION IF NOT EXISTS {name}")


def create_database(url):
    """A fresh, empty database; its URL."""
    name = f"vanthu_t_{uuid.uuid4().hex[:16]}"
    with admin(url) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    return database_url(url, name)


def drop_database(url, target):
    from vanthu.archive import db
    db.forget(target)
    with admin(url) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {target.rpartition('/')[2]} WITH (FORCE)")
