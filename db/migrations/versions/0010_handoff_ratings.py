"""users rate a conversation staff closed, with an optional comment

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "handoff_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("comment_masked", sa.Text(), nullable=True),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("commented_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_handoff_ratings_ticket_id_tickets"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_handoff_ratings_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff_ratings")),
        sa.UniqueConstraint("ticket_id", name=op.f("uq_handoff_ratings_ticket_id")),
    )
    op.create_index(op.f("ix_handoff_ratings_user_id"), "handoff_ratings", ["user_id"])
    op.create_index(op.f("ix_handoff_ratings_rated_at"), "handoff_ratings", ["rated_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_handoff_ratings_rated_at"), table_name="handoff_ratings")
    op.drop_index(op.f("ix_handoff_ratings_user_id"), table_name="handoff_ratings")
    op.drop_table("handoff_ratings")
