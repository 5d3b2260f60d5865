"""Initial schema: reports, their figures and answers.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("region_code", sa.String, nullable=False, index=True),
        sa.Column("template_id", sa.String, nullable=False),
        sa.Column("status", sa.String, nullable=False, server_default="draft"),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("submitted_on", sa.Date, nullable=True),
        sa.Column("contact_json", sa.String, nullable=False, server_default="{}"),
        sa.Column("prem_used", sa.Boolean, nullable=True),
        sa.Column("prem_sent", sa.Integer, nullable=True),
        sa.Column("prem_answers", sa.Integer, nullable=True),
        sa.Column("finance_json", sa.String, nullable=False, server_default="{}"),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "figure",
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
        sa.UniqueConstraint("report_id", "svf_id", "measure", "sex"),
    )
    op.create_table(
        "answer",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "report_id",
            sa.Integer,
            sa.ForeignKey("report.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("question_id", sa.String, nullable=False),
        sa.Column("text", sa.String, nullable=False, server_default=""),
        sa.UniqueConstraint("report_id", "question_id"),
    )


def downgrade() -> None:
    op.drop_table("answer")
    op.drop_table("figure")
    op.drop_table("report")
