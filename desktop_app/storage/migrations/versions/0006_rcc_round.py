"""The RCC round (issue 11): each received file's arrival date, remarks and the officer's
decision; the register of each region's signers; the log of decisions and changed arrival
dates; the RCC's last day per year.

Revision ID: 0006
Revises: 0005_receipts
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005_receipts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbox_entry") as batch:
        batch.add_column(sa.Column("received_on", sa.Date, nullable=True))
        batch.add_column(sa.Column("remarks_json", sa.String, nullable=False, server_default="[]"))
        batch.add_column(sa.Column("decision", sa.String, nullable=True))
        batch.add_column(sa.Column("decision_reason", sa.String, nullable=True))
    op.create_table(
        "signer_registration",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("region_code", sa.String, nullable=False, index=True),
        sa.Column("roles", sa.String, nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("cert_sha256", sa.String, nullable=False),
        sa.Column("cert_der", sa.LargeBinary, nullable=False),
        sa.Column("subject", sa.String, nullable=False, server_default=""),
        sa.Column("organisation_id", sa.String, nullable=True),
        sa.Column("registered_by", sa.String, nullable=False, server_default=""),
        sa.Column("registered_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "inbox_event",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entry_id", sa.Integer, nullable=True, index=True),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("value", sa.String, nullable=False, server_default=""),
        sa.Column("reason", sa.String, nullable=False, server_default=""),
        sa.Column("actor", sa.String, nullable=False, server_default=""),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "rcc_last_day",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("rcc", sa.String, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("last_day", sa.Date, nullable=False),
        sa.UniqueConstraint("rcc", "year"),
    )


def downgrade() -> None:
    op.drop_table("rcc_last_day")
    op.drop_table("inbox_event")
    op.drop_table("signer_registration")
    with op.batch_alter_table("inbox_entry") as batch:
        batch.drop_column("decision_reason")
        batch.drop_column("decision")
        batch.drop_column("remarks_json")
        batch.drop_column("received_on")
