"""Provenance per figure (issue 15, point 2): where each cell's value came from, and for a cell
of the RCC's extract that extract's date, hash and value and the region's reason for changing
it. Cells stored before this revision have no row (their source is not known).

Revision ID: 0009_provenance
Revises: 0008_history_chain
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_provenance"
down_revision = "0008_history_chain"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "figure_source",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "report_id",
            sa.Integer,
            sa.ForeignKey("report.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("svf_id", sa.String, nullable=False),
        sa.Column("measure", sa.String, nullable=False),
        sa.Column("sex", sa.String, nullable=False),
        sa.Column("source", sa.String, nullable=False),
        sa.Column("file", sa.String, nullable=False, server_default=""),
        sa.Column("sha256", sa.String, nullable=False, server_default=""),
        sa.Column("extract_date", sa.Date, nullable=True),
        sa.Column("extract_sha256", sa.String, nullable=True),
        sa.Column("extract_rcc", sa.String, nullable=False, server_default=""),
        sa.Column("extract_value", sa.Float, nullable=True),
        sa.Column("reason", sa.String, nullable=True),
        sa.UniqueConstraint("report_id", "svf_id", "measure", "sex"),
    )


def downgrade() -> None:
    op.drop_table("figure_source")
