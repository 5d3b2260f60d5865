"""History chain (issue 15, point 4): every change to a report as a row with old → new, who,
source and reason, each row hash-chained to the previous one, and the head of each chain.

Existing reports get a chain that starts here: a ``genesis`` row ("the chain starts here"),
then each line of the older change log (kind ``migrated``, its time and summary), so that
nothing already logged is left outside the chain.

Revision ID: 0008_history_chain
Revises: 0007
"""

import getpass
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0008_history_chain"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "history",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "report_id",
            sa.Integer,
            sa.ForeignKey("report.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("who", sa.String, nullable=False, server_default=""),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("path", sa.String, nullable=False, server_default=""),
        sa.Column("old_json", sa.String, nullable=False, server_default="null"),
        sa.Column("new_json", sa.String, nullable=False, server_default="null"),
        sa.Column("source", sa.String, nullable=True),
        sa.Column("reason", sa.String, nullable=True),
        sa.Column("note", sa.String, nullable=False, server_default=""),
        sa.Column("prev_hash", sa.String, nullable=False),
        sa.Column("hash", sa.String, nullable=False),
        sa.UniqueConstraint("report_id", "seq"),
    )
    op.create_table(
        "history_head",
        sa.Column(
            "report_id",
            sa.Integer,
            sa.ForeignKey("report.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("hash", sa.String, nullable=False),
    )
    _chain_existing()


def _who() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment
        return "okänd användare"


def _chain_existing() -> None:
    from desktop_app.domain.history import GENESIS_PREV, Change, chain
    from desktop_app.domain.vocabulary import HistoryKind

    conn = op.get_bind()
    now = datetime.now().replace(microsecond=0)
    who = _who()
    for (report_id,) in conn.execute(sa.text("SELECT id FROM report ORDER BY id")).fetchall():
        entries = chain(
            report_id, 0, GENESIS_PREV, now, who, HistoryKind.GENESIS, [Change("", None, None)],
            None, None, "Historiken börjar här (databasen uppgraderades till schema 0008); "
            "ändringar dessförinnan finns bara som rader ur den äldre ändringsloggen.",
        )  # fmt: skip
        log = conn.execute(
            sa.text("SELECT at, summary FROM change_log WHERE report_id = :r ORDER BY id"),
            {"r": report_id},
        ).fetchall()
        for at, summary in log:
            at = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
            entries += chain(
                report_id, entries[-1].seq, entries[-1].hash, at, "", HistoryKind.MIGRATED,
                [Change("", None, None)], None, None, summary or "",
            )  # fmt: skip
        conn.execute(
            sa.text(
                "INSERT INTO history (report_id, seq, at, who, kind, path, old_json, new_json, "
                "source, reason, note, prev_hash, hash) VALUES (:report_id, :seq, :at, :who, "
                ":kind, :path, 'null', 'null', NULL, NULL, :note, :prev_hash, :hash)"
            ),
            [
                {
                    "report_id": e.report_id, "seq": e.seq, "at": e.at.isoformat(sep=" "), "who": e.who,
                    "kind": e.kind, "path": e.path, "note": e.note, "prev_hash": e.prev_hash,
                    "hash": e.hash,
                }
                for e in entries
            ],
        )  # fmt: skip
        last = entries[-1]
        conn.execute(
            sa.text("INSERT INTO history_head (report_id, seq, hash) VALUES (:r, :s, :h)"),
            {"r": report_id, "s": last.seq, "h": last.hash},
        )


def downgrade() -> None:
    op.drop_table("history_head")
    op.drop_table("history")
