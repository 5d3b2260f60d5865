"""Patient-level SVF lists (issue 16): which figure cells were computed from a patient list and
the value then applied (a cell whose value still equals it has the source ``patient_list``);
the pathways over the long-wait threshold, pseudonymised (a key that is a hash of the keyed
hash of the person, SVF and date; no identity number, no date of birth), their cause tags, and
the causes a user added to the template's list.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
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

    op.create_table(
        "patient_long_wait",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "report_id",
            sa.Integer,
            sa.ForeignKey("report.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("key", sa.String, nullable=False),
        sa.Column("svf_id", sa.String, nullable=False),
        sa.Column("sex", sa.String, nullable=False),
        sa.Column("unit", sa.String, nullable=False),
        sa.Column("treatment", sa.String, nullable=False),
        sa.Column("days", sa.Integer, nullable=False),
        sa.Column("lead_time", sa.Integer, nullable=False),
        sa.Column("cause", sa.String, nullable=True),
        sa.Column("note", sa.String, nullable=False, server_default=""),
        sa.UniqueConstraint("report_id", "key"),
    )
    op.create_table(
        "long_wait_cause",
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("label", sa.String, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("long_wait_cause")
    op.drop_table("patient_long_wait")
    op.drop_table("patient_list_figure")
