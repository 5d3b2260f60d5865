"""Justified warnings and last year's figures (issue 15, points 5 and 6): two JSON columns of
the report, empty for every report stored before.

Revision ID: 0010_warnings
Revises: 0009_provenance
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_warnings"
down_revision = "0009_provenance"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.add_column(sa.Column("acknowledgements_json", sa.String, nullable=True))
        batch.add_column(sa.Column("baseline_json", sa.String, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.drop_column("baseline_json")
        batch.drop_column("acknowledgements_json")
