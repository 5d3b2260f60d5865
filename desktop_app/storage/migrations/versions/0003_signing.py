"""Signing: the lock of a certified or signed report, the finance chief's certification and
the signatures recorded when a signed PDF is imported.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN: a batch (copy-and-move) rebuild of `report` would, with foreign keys
    # on, cascade-delete the figures and answers of every report.
    op.add_column(
        "report", sa.Column("locked", sa.Boolean, nullable=False, server_default=sa.false())
    )
    op.add_column("report", sa.Column("certification_json", sa.String, nullable=True))
    op.add_column("report", sa.Column("signatures_json", sa.String, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.drop_column("signatures_json")
        batch.drop_column("certification_json")
        batch.drop_column("locked")
