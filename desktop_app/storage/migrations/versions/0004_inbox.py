"""RCC workspace: the inbox of received signed reports (with a copy of each file) and the
populations edited for a compilation.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbox_file",
        sa.Column("sha256", sa.String, primary_key=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
    )
    op.create_table(
        "inbox_entry",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("scope", sa.String, nullable=False, index=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String, sa.ForeignKey("inbox_file.sha256"), nullable=False),
        sa.Column("file_name", sa.String, nullable=False),
        sa.Column("source_path", sa.String, nullable=False, server_default=""),
        sa.Column("received_at", sa.DateTime, nullable=False),
        sa.Column("status", sa.String, nullable=False),
        sa.Column("refusal", sa.String, nullable=True),
        sa.Column("reason", sa.String, nullable=True),
        sa.Column("superseded_by", sa.Integer, nullable=True),
        sa.Column("region_code", sa.String, nullable=True, index=True),
        sa.Column("report_year", sa.Integer, nullable=True),
        sa.Column("template_id", sa.String, nullable=True),
        sa.Column("report_version", sa.Integer, nullable=True),
        sa.Column("report_status", sa.String, nullable=True),
        sa.Column("submitted_on", sa.Date, nullable=True),
        sa.Column("signed_at", sa.DateTime, nullable=True),
        sa.Column("document_sha256", sa.String, nullable=True),
        sa.Column("document_json", sa.String, nullable=True),
        sa.Column("certification_alt", sa.Integer, nullable=True),
        sa.Column("criteria_met", sa.Boolean, nullable=True),
        sa.Column("on_time", sa.Boolean, nullable=True),
        sa.Column("criteria_json", sa.String, nullable=False, server_default="[]"),
        sa.Column("signers_json", sa.String, nullable=False, server_default="[]"),
        sa.Column("verification_json", sa.String, nullable=False, server_default="{}"),
        sa.Column("problems_json", sa.String, nullable=False, server_default="[]"),
        sa.Column("notes_json", sa.String, nullable=False, server_default="[]"),
        sa.UniqueConstraint("scope", "year", "sha256"),
    )
    op.create_table(
        "population",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("scope", sa.String, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("region_code", sa.String, nullable=False),
        sa.Column("population", sa.Integer, nullable=False),
        sa.Column("population_date", sa.String, nullable=False, server_default=""),
        sa.Column("source", sa.String, nullable=False, server_default=""),
        sa.Column("edited_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("scope", "year", "region_code"),
    )


def downgrade() -> None:
    op.drop_table("population")
    op.drop_table("inbox_entry")
    op.drop_table("inbox_file")
