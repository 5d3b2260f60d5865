"""Change log: when and how each report was changed (last edited, imports, loads).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "report_id",
            sa.Integer,
            sa.ForeignKey("report.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("summary", sa.String, nullable=False, server_default=""),
    )
    # Existing reports get one entry so that "senast ändrad" has a history from the start.
    op.execute(
        "INSERT INTO change_log (report_id, at, kind, summary) "
        "SELECT id, updated_at, 'migrated', 'Fanns före ändringsloggen' FROM report"
    )


def downgrade() -> None:
    op.drop_table("change_log")
