"""SQLAlchemy models: domain tables and the tables behind the bot's conversation persistence."""

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, datetime: DateTime(timezone=True)}


class User(Base):
    """Someone who has talked to the bot; the id is their Telegram user id."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    first_name: Mapped[str] = mapped_column(String(64))
    last_name: Mapped[str | None] = mapped_column(String(64))
    username: Mapped[str | None] = mapped_column(String(32))
    # The language the user picked with /language; None means "follow Telegram".
    language: Mapped[str | None] = mapped_column(String(8))
    telegram_language: Mapped[str | None] = mapped_column(String(16))
    # The deep-link payload of the user's first /start (a school visit, a poster...).
    campaign_source: Mapped[str | None] = mapped_column(String(64), index=True)
    blocked_bot: Mapped[bool] = mapped_column(default=False)
    # The programme whose eligibility check the user is in the middle of, if any.
    checking_programme: Mapped[str | None] = mapped_column(String(24))
    # The field the user is correcting through /mydata, if any.
    correcting: Mapped[str | None] = mapped_column(String(24))
    # The document the user is asked to send now, as "<registration id>:<document code>".
    sending_document: Mapped[str | None] = mapped_column(String(40))
    # Staff can stop an abusive user from reaching them through the bot.
    handoff_blocked: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    last_seen_at: Mapped[datetime] = mapped_column(default=utc_now, index=True)


class ProgrammeCategory(Base):
    __tablename__ = "programme_categories"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    # {"title": {"id": "...", "en": "..."}}
    texts: Mapped[dict[str, Any]]


class Programme(Base):
    """A programme from the staff-edited catalogue, synced at start-up."""

    __tablename__ = "programmes"

    code: Mapped[str] = mapped_column(String(24), primary_key=True)
    category: Mapped[str] = mapped_column(ForeignKey("programme_categories.code"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    audience: Mapped[str] = mapped_column(String(16))
    intake: Mapped[str] = mapped_column(String(16))
    # False while the intake's state rests only on the catalogue's starter text: the list and
    # the card then say it is not confirmed. The file's intake_confirmed or a staff setting
    # made with /intake confirms it.
    intake_confirmed: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Every display text by field then language: {"title": {"id": ..., "en": ...}, ...}
    texts: Mapped[dict[str, Any]]
    # Eligibility rules as written in the catalogue (see bot.content.catalogue.RulesEntry).
    rules: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The documents applicants send (see bot.content.catalogue.DocumentEntry), in order.
    documents: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    quota: Mapped[int | None]
    batch: Mapped[str] = mapped_column(String(16), default="1")
    # The registration period, in the centre's calendar; None: not announced.
    opens_on: Mapped[date | None] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)


class IntakeOverride(Base):
    """What staff set from the bot for one programme's intake; it wins over the catalogue file
    until staff go back to the file's values."""

    __tablename__ = "intake_overrides"

    programme_code: Mapped[str] = mapped_column(
        ForeignKey("programmes.code", ondelete="CASCADE"), primary_key=True
    )
    # Only the fields staff changed: {"intake": "open", "quota": 40, "opens_on": "2026-12-01",
    # "closes_on": "2026-12-20"}. A null quota or date means "none"; an absent key means "as in
    # the catalogue file".
    values: Mapped[dict[str, Any]] = mapped_column(default=dict)
    set_by: Mapped[int] = mapped_column(BigInteger)
    set_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)


class CohortGroup(Base):
    """The Telegram group of one intake (a programme's batch): its accepted applicants are let
    in, and nobody else. One group serves one intake."""

    __tablename__ = "cohort_groups"

    programme_code: Mapped[str] = mapped_column(
        ForeignKey("programmes.code", ondelete="CASCADE"), primary_key=True
    )
    batch: Mapped[str] = mapped_column(String(16), primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    title: Mapped[str] = mapped_column(String(128))
    set_by: Mapped[int] = mapped_column(BigInteger)
    set_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)


class CohortInvite(Base):
    """The personal invite link an accepted applicant got to ask to join their cohort group,
    so it can be revoked when they are no longer accepted or once they are in."""

    __tablename__ = "cohort_invites"

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True
    )
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    # None while the link is being made: the row is claimed first (claim_token), so two flows
    # at once never make two links for one registration.
    invite_link: Mapped[str | None] = mapped_column(String(128), unique=True)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    # When the link (or the claim) was made.
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    # When the applicant's join request was approved; the link is revoked then.
    joined_at: Mapped[datetime | None]


class UnnamedGroup(Base):
    """A group a staff member added the bot to, to make it a cohort group: the bot leaves it
    after the grace period (UNNAMED_GROUP_GRACE_HOURS) unless it has been named by then."""

    __tablename__ = "unnamed_groups"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    title: Mapped[str] = mapped_column(String(128))
    added_by: Mapped[int] = mapped_column(BigInteger)
    added_at: Mapped[datetime] = mapped_column(default=utc_now)


class ConversationState(Base):
    """Where one user stands in one conversation; a row exists only while it is open."""

    __tablename__ = "conversation_states"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    state: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)


class StoredUserData(Base):
    __tablename__ = "persisted_user_data"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    data: Mapped[dict[str, Any]]


class StoredChatData(Base):
    __tablename__ = "persisted_chat_data"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    data: Mapped[dict[str, Any]]


class StoredSingleton(Base):
    """bot_data and the callback-data cache, one row each."""

    __tablename__ = "persisted_singletons"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    data: Mapped[Any] = mapped_column(JSON)


class EligibilityAnswer(Base):
    """One answer a person gave to an eligibility question; reused for every programme."""

    __tablename__ = "eligibility_answers"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    question: Mapped[str] = mapped_column(String(24), primary_key=True)
    answer: Mapped[Any] = mapped_column(JSON)
    answered_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)


class Consent(Base):
    """Proof of consent (UU 27/2022): who agreed to which text version, for what, and when."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(24))
    version: Mapped[str] = mapped_column(String(16))
    locale: Mapped[str] = mapped_column(String(8))
    granted_at: Mapped[datetime] = mapped_column(default=utc_now)
    withdrawn_at: Mapped[datetime | None]


ACTIVE_STATUSES = ("submitted", "verified", "test_scheduled", "accepted")
FINAL_STATUSES = ("accepted", "rejected", "withdrawn")


class Registration(Base):
    """An application to one programme's intake; a draft until submitted."""

    __tablename__ = "registrations"
    __table_args__ = (
        # One active registration per person (NIK) per programme intake.
        Index(
            "uq_registrations_active_nik",
            "nik_hash",
            "programme_code",
            "batch",
            unique=True,
            sqlite_where=text("status IN ('submitted','verified','test_scheduled','accepted')"),
            postgresql_where=text(
                "status IN ('submitted','verified','test_scheduled','accepted')"
            ),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(20), unique=True)
    # Set to NULL when the person deletes their data; the anonymous row stays for statistics.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    programme_code: Mapped[str] = mapped_column(ForeignKey("programmes.code"), index=True)
    batch: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    step: Mapped[str | None] = mapped_column(String(24))
    consent_id: Mapped[int | None] = mapped_column(ForeignKey("consents.id", ondelete="SET NULL"))
    full_name: Mapped[str | None] = mapped_column(String(100))
    nik_encrypted: Mapped[str | None] = mapped_column(Text)
    nik_hash: Mapped[str | None] = mapped_column(String(64))
    nik_masked: Mapped[str | None] = mapped_column(String(16))
    birth_date: Mapped[date | None] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(8))
    # Encrypted like the NIK (bot/privacy/contact_data.py); the masked copy is what staff see.
    phone_encrypted: Mapped[str | None] = mapped_column(Text)
    phone_masked: Mapped[str | None] = mapped_column(String(20))
    education: Mapped[str | None] = mapped_column(String(16))
    activity: Mapped[str | None] = mapped_column(String(16))
    regency: Mapped[str | None] = mapped_column(String(8))
    email: Mapped[str | None] = mapped_column(String(254))
    email_skipped: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)
    submitted_at: Mapped[datetime | None]
    status_changed_at: Mapped[datetime] = mapped_column(default=utc_now)
    reminder_sent_at: Mapped[datetime | None]


class RegistrationDocument(Base):
    """A document an applicant sent: only Telegram's file id, never the file itself."""

    __tablename__ = "registration_documents"
    __table_args__ = (UniqueConstraint("registration_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(16))
    # How Telegram holds it, so how staff are sent it back: "photo" (sendPhoto) or "document"
    # (sendDocument: a PDF, or an image sent as a file; a file_id only works with its type).
    kind: Mapped[str] = mapped_column(String(8))
    file_id: Mapped[str] = mapped_column(String(255))
    file_unique_id: Mapped[str] = mapped_column(String(64))
    size: Mapped[int | None]
    received_at: Mapped[datetime] = mapped_column(default=utc_now)


class IntakeWatcher(Base):
    """Someone who asked to be told when a closed or planned intake opens."""

    __tablename__ = "intake_watchers"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    programme_code: Mapped[str] = mapped_column(ForeignKey("programmes.code"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    notified_at: Mapped[datetime | None]


class Ticket(Base):
    """A conversation between one user and the centre's staff, in the staff group."""

    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(8), default="open", index=True)
    # The forum topic in the staff group; None when the group has no topics.
    topic_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    closed_at: Mapped[datetime | None]


class TicketMessage(Base):
    """Which staff-group message stands for which message of the user, both ways."""

    __tablename__ = "ticket_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), index=True
    )
    staff_message_id: Mapped[int] = mapped_column(BigInteger, index=True)
    user_message_id: Mapped[int | None] = mapped_column(BigInteger)
    from_staff: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class PendingAlbumPart(Base):
    """A part of a user's album to staff, kept until the album goes (the parts arrive one by
    one and nothing says which is the last): in the database, so a restart loses none and
    every process of the bot sees the whole album. The caption is sealed (encrypted)."""

    __tablename__ = "pending_album_parts"
    __table_args__ = (UniqueConstraint("chat_id", "message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    media_group_id: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[int] = mapped_column(BigInteger)
    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), index=True
    )
    locale: Mapped[str] = mapped_column(String(8))
    # photo, video, document or audio: what sendMediaGroup is told the file is.
    kind: Mapped[str] = mapped_column(String(16))
    file_id: Mapped[str] = mapped_column(String(255))
    # The caption and its entities as JSON, encrypted; None without a caption.
    caption_sealed: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(default=utc_now)


class HandoffRating(Base):
    """How a user rated a conversation staff closed (1-5), with the comment they added, masked.
    The number outlives the ticket and the user (for /stats); the comment does not."""

    __tablename__ = "handoff_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="SET NULL"), unique=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    rating: Mapped[int] = mapped_column(Integer)
    comment_masked: Mapped[str | None] = mapped_column(Text)
    rated_at: Mapped[datetime] = mapped_column(default=utc_now, index=True)
    commented_at: Mapped[datetime | None]


class HandoffBlock(Base):
    """A person staff stopped from writing to them, kept only as a keyed hash of their Telegram
    id, so the block outlives the deletion of their data without keeping who they are."""

    __tablename__ = "handoff_blocks"

    user_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    blocked_at: Mapped[datetime] = mapped_column(default=utc_now)
    # The staff member's Telegram id; None when the block was carried over at deletion.
    blocked_by: Mapped[int | None] = mapped_column(BigInteger)


class SchoolInterest(Base):
    """A parent asking to be contacted about Sekolah Rakyat; a draft until submitted."""

    __tablename__ = "school_interests"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(20), unique=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    consent_id: Mapped[int | None] = mapped_column(ForeignKey("consents.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    step: Mapped[str | None] = mapped_column(String(24))
    parent_name: Mapped[str | None] = mapped_column(String(100))
    relationship: Mapped[str | None] = mapped_column(String(16))
    regency: Mapped[str | None] = mapped_column(String(8))
    phone_encrypted: Mapped[str | None] = mapped_column(Text)
    phone_masked: Mapped[str | None] = mapped_column(String(20))
    in_dtsen: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)
    submitted_at: Mapped[datetime | None]


class SchoolInterestChild(Base):
    """One child in a parent's Sekolah Rakyat enquiry: first name (encrypted), age and level
    only. Age and level stay readable: coarse, they identify no child without the name."""

    __tablename__ = "school_interest_children"

    id: Mapped[int] = mapped_column(primary_key=True)
    interest_id: Mapped[int] = mapped_column(
        ForeignKey("school_interests.id", ondelete="CASCADE"), index=True
    )
    first_name_encrypted: Mapped[str | None] = mapped_column(Text)
    age: Mapped[int | None]
    level: Mapped[str | None] = mapped_column(String(8))


STAFF_ROLES = ("admin", "staff")


class StaffMember(Base):
    """Someone who may use the staff console; admins come from the configuration."""

    __tablename__ = "staff_members"

    # No foreign key to users: an admin may add someone who has not written to the bot yet.
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    role: Mapped[str] = mapped_column(String(8))
    # None: granted by the configuration (ADMIN_IDS), not by a person.
    added_by: Mapped[int | None] = mapped_column(BigInteger)
    added_at: Mapped[datetime] = mapped_column(default=utc_now)


class AuditEntry(Base):
    """Who changed data or exported personal data, what, and when; never deleted by the bot.
    A join requester's Telegram id in details goes with their data (db.audit.forget_requester)
    or after its retention period; the entry stays."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None: the configuration acting at start-up.
    actor_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    action: Mapped[str] = mapped_column(String(32), index=True)
    subject: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[datetime] = mapped_column(default=utc_now, index=True)


class SavedFilter(Base):
    """A staff member's registration filter, so buttons carry its id instead of the filter
    (callback data is limited to 64 bytes)."""

    __tablename__ = "saved_filters"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(BigInteger, index=True)
    criteria: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class Broadcast(Base):
    """A staff member's message copied to an audience; its recipients are in the outbox."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by: Mapped[int] = mapped_column(BigInteger)
    # The staff member's own message, which every recipient gets a copy of.
    source_chat_id: Mapped[int] = mapped_column(BigInteger)
    source_message_id: Mapped[int] = mapped_column(BigInteger)
    # An optional English version, sent instead to those who read the bot in English.
    english_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # bot.broadcast.audience.Audience: {"kind": "all" | "lang" | "reg" | "camp" | "act" | "grp"
    # | "prog" | "stg", "value": ...}, e.g. {"kind": "stg", "value": "welding.verified"}
    audience: Mapped[dict[str, Any] | None]
    # draft -> [scheduled ->] sending <-> paused -> done | cancelled
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    # When a scheduled broadcast is to start (UTC).
    scheduled_for: Mapped[datetime | None]
    # Taking the copies back from every chat: None, then "deleting" -> "deleted".
    deletion: Mapped[str | None] = mapped_column(String(16))
    deletion_requested_at: Mapped[datetime | None]
    total_count: Mapped[int] = mapped_column(default=0)
    sent_count: Mapped[int] = mapped_column(default=0)
    failed_count: Mapped[int] = mapped_column(default=0)
    blocked_count: Mapped[int] = mapped_column(default=0)
    # The message in the staff member's chat that shows the progress.
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class BroadcastRecipient(Base):
    """One row of a broadcast's outbox: a recipient and what became of their copy."""

    __tablename__ = "broadcast_outbox"
    __table_args__ = (Index("ix_broadcast_outbox_broadcast_id_status", "broadcast_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(ForeignKey("broadcasts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # pending -> sent | blocked | failed
    status: Mapped[str] = mapped_column(String(8), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    # The copy's id in the recipient's chat, so it can be deleted later.
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    last_error: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime | None]
    # When the broadcast is taken back: None, then "pending" -> "deleted" | "failed".
    deletion: Mapped[str | None] = mapped_column(String(8))


class Campaign(Base):
    """A named deep link (t.me/<bot>?start=<code>) for a school visit, a poster or a fair."""

    __tablename__ = "campaigns"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


FUNNEL_STAGES = (
    "started",
    "checked",
    "eligible",
    "consented",
    "submitted",
    "verified",
    "accepted",
)


class FunnelEvent(Base):
    """A step someone reached on the way to a programme, kept anonymous after they delete
    their data, so the funnel and campaign counts stay true.

    programme_code None is the user's way through the bot as a whole: "started" is the first
    /start (with its campaign), and every later step is also recorded there once, so the overall
    funnel counts people rather than programmes.
    """

    __tablename__ = "funnel_events"
    __table_args__ = (Index("ix_funnel_events_programme_code_stage", "programme_code", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    programme_code: Mapped[str | None] = mapped_column(String(24))
    stage: Mapped[str] = mapped_column(String(16))
    # The user's campaign source when it happened, copied so it outlives the user row.
    campaign_source: Mapped[str | None] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(default=utc_now, index=True)


FAQ_OUTCOMES = ("answered", "suggested", "unanswered")


class FaqQuestion(Base):
    """A question someone typed, masked of NIK and phone numbers, with what the FAQ made of it:
    the unanswered-questions desk groups these for staff, and /stats counts the hit rate."""

    __tablename__ = "faq_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    asked_at: Mapped[datetime] = mapped_column(default=utc_now, index=True)
    text_masked: Mapped[str] = mapped_column(String(500))
    language: Mapped[str] = mapped_column(String(8))
    # The best match, whatever the outcome; None when nothing matched at all.
    matched_code: Mapped[str | None] = mapped_column(String(32))
    score: Mapped[float | None]
    # answered (directly) | suggested (a choice was offered) | unanswered
    outcome: Mapped[str] = mapped_column(String(16))
    # When the user tapped "👎 This didn't help" under the answer.
    didnt_help_at: Mapped[datetime | None]
    # When staff answered it from the desk (a new phrasing or a new answer).
    handled_at: Mapped[datetime | None]


class FaqStaffEntry(Base):
    """An FAQ answer staff wrote from the desk, layered over the FAQ file; its code is
    added_<id>."""

    __tablename__ = "faq_staff_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(24))
    question_id: Mapped[str] = mapped_column(String(120))
    answer_id: Mapped[str] = mapped_column(Text)
    # None: English readers get the Indonesian texts.
    question_en: Mapped[str | None] = mapped_column(String(120))
    answer_en: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class FaqStaffPhrasing(Base):
    """A question staff added from the desk as one more way of asking an FAQ entry."""

    __tablename__ = "faq_staff_phrasings"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A code from the FAQ file or an added_<id> entry; a code the file no longer has is skipped.
    entry_code: Mapped[str] = mapped_column(String(32), index=True)
    language: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(String(120))
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
