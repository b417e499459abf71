"""The sandbox_lease table of tutorial/sandbox/persistence/lease.py (plain SQL: no model reads it).

Portable SQL: SQLite and PostgreSQL both accept these types; `expires_at` is a Unix time.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("sandbox", "0002_sandbox_exercise_since"),
    ]

    operations = [
        migrations.RunSQL(
            sql=(
                "CREATE TABLE sandbox_lease ("
                " sandbox_id BIGINT NOT NULL PRIMARY KEY,"
                " holder VARCHAR(255) NOT NULL,"
                " expires_at DOUBLE PRECISION NOT NULL)"
            ),
            reverse_sql="DROP TABLE sandbox_lease",
        ),
    ]
