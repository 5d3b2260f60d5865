"""Round receipts (issue 11.6): the hashes of the report documents a region exported, and the
kvittenser it imported from its RCC.

Revision ID: 0005_receipts
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_receipts"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exported_document",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "report_id",
            sa.Integer,
            sa.ForeignKey("report.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("sha256", sa.String, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("exported_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("report_id", "sha256"),
    )
    op.create_table(
        "receipt",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "report_id",
            sa.Integer,
            sa.ForeignKey("report.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("rcc_name", sa.String, nullable=False),
        sa.Column("report_version", sa.Integer, nullable=False),
        sa.Column("document_sha256", sa.String, nullable=False),
        sa.Column("inbox_status", sa.String, nullable=True),
        sa.Column("remarks_json", sa.String, nullable=False, server_default="[]"),
        sa.Column("reason", sa.String, nullable=True),
        sa.Column("received_on", sa.Date, nullable=True),
        sa.Column("issued_on", sa.Date, nullable=True),
        sa.Column("signer_name", sa.String, nullable=False, server_default=""),
        sa.Column("trusted", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("file_sha256", sa.String, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("imported_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("receipt")
    op.drop_table("exported_document")
