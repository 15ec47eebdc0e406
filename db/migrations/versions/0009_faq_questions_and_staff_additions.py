"""typed questions logged for the unanswered-questions desk, and staff's FAQ additions

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "faq_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text_masked", sa.String(length=500), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("matched_code", sa.String(length=32), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("didnt_help_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_faq_questions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faq_questions")),
    )
    op.create_index(op.f("ix_faq_questions_user_id"), "faq_questions", ["user_id"])
    op.create_index(op.f("ix_faq_questions_asked_at"), "faq_questions", ["asked_at"])
    op.create_table(
        "faq_staff_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=24), nullable=False),
        sa.Column("question_id", sa.String(length=120), nullable=False),
        sa.Column("answer_id", sa.Text(), nullable=False),
        sa.Column("question_en", sa.String(length=120), nullable=True),
        sa.Column("answer_en", sa.Text(), nullable=True),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faq_staff_entries")),
    )
    op.create_table(
        "faq_staff_phrasings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_code", sa.String(length=32), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("text", sa.String(length=120), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faq_staff_phrasings")),
    )
    op.create_index(
        op.f("ix_faq_staff_phrasings_entry_code"), "faq_staff_phrasings", ["entry_code"]
    )


def downgrade() -> None:
    op.drop_table("faq_staff_phrasings")
    op.drop_table("faq_staff_entries")
    op.drop_index(op.f("ix_faq_questions_asked_at"), table_name="faq_questions")
    op.drop_index(op.f("ix_faq_questions_user_id"), table_name="faq_questions")
    op.drop_table("faq_questions")
