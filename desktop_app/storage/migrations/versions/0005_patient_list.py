"""Patient-level SVF lists (issue 16): which figure cells were computed from a patient list and
the value then applied (a cell whose value still equals it has the source ``patient_list``).
No patient row and no identity number is stored.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "patient_list_figure",
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
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("applied_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("report_id", "svf_id", "measure", "sex"),
    )


def downgrade() -> None:
    op.drop_table("patient_list_figure")
