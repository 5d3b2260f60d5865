"""The RCC's own copy of each national extract it split into start files (issue 15, points 1
and 3), so that the values a region says came from the extract can be checked.

Revision ID: 0011_rcc_extracts
Revises: 0010_warnings
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_rcc_extracts"
down_revision = "0010_warnings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rcc_extract",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("rcc", sa.String, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("on", sa.Date, nullable=False),
        sa.Column("sha256", sa.String, nullable=False),
        sa.Column("file", sa.String, nullable=False, server_default=""),
        sa.Column("stored_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("rcc", "year", "sha256"),
    )
    op.create_table(
        "rcc_extract_value",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "extract_id",
            sa.Integer,
            sa.ForeignKey("rcc_extract.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("region", sa.String, nullable=False),
        sa.Column("svf_id", sa.String, nullable=False),
        sa.Column("measure", sa.String, nullable=False),
        sa.Column("sex", sa.String, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.UniqueConstraint("extract_id", "region", "svf_id", "measure", "sex"),
    )


def downgrade() -> None:
    op.drop_table("rcc_extract_value")
    op.drop_table("rcc_extract")
