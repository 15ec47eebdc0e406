"""The composition root: builds the one Application, with its database, texts and handlers."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.ext import Application, BasePersistence, BaseUpdateProcessor, ContextTypes
from telegram.request import BaseRequest

from bot.bot_profile import set_bot_profile
from bot.broadcast.worker import BroadcastWorker
from bot.config import Settings
from bot.content.catalogue import Catalogue
from bot.content.loading import load_all_content
from bot.context import SERVICES, BotContext, Services
from bot.i18n import load_translators
from bot.intake.settings import sync_intakes
from bot.operations.metrics import BotMetrics, CountedRateLimiter, update_type
from bot.persistence import SqlPersistence
from bot.privacy.vault import NikVault, load_data_key
from bot.questions.live_faq import refresh_faq
from bot.staff.command_menus import set_public_menus
from bot.traffic.chat_order import ChatOrderedUpdates
from bot.traffic.flood import FloodGate
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade_database
from db.models import utc_now
from handlers import errors, fallback, forms, identify, language, reminders, start
from handlers.broadcast import compose as broadcast
from handlers.broadcast import recent as broadcast_list
from handlers.chats import reachability, unnamed_groups
from handlers.eligibility import check as eligibility
from handlers.handoff import albums as handoff_albums
from handlers.handoff import desk as staff_desk
from handlers.handoff import edits as handoff_edits
from handlers.handoff import feedback as handoff_feedback
from handlers.intake import cohort_group
from handlers.intake import settings as intake_settings
from handlers.privacy import my_data
from handlers.programmes import browse as programmes
from handlers.programmes import inline as programme_search
from handlers.programmes import links as programme_links
from handlers.questions import faq as questions
from handlers.registration import intakes, status
from handlers.review import documents as review_documents
from handlers.review import export
from handlers.review import listing as review
from handlers.review import moves as review_moves
from handlers.school import about as school
from handlers.staff import audit, question_answers, questions_desk, reload
from handlers.staff import roles as staff
from handlers.stats import campaigns, faq_hits, stats
from handlers.stats import ratings as handoff_ratings

# A syntactically valid token for runs against the in-process stand-in, which never checks it.
STANDIN_TOKEN = "1:standin"


class VokasiApplication(Application):  # type: ignore[type-arg]
    """An Application that readies its database before PTB loads persisted state."""

    def __init__(self, *, engine: AsyncEngine, catalogue: Catalogue, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.engine = engine
        self.catalogue = catalogue
        self.broadcast_worker: BroadcastWorker | None = None

    async def initialize(self) -> None:
        if self._initialized:
            return
        services: Services = self.bot_data[SERVICES]
        # With the data key: a migration may have stored values to encrypt.
        await upgrade_database(self.engine, services.vault)
        async with services.session_factory() as session, session.begin():
            # The file, then what staff set from the bot, then the registration dates.
            opened = (await sync_intakes(session, self.catalogue, now=utc_now())).opened
        await refresh_faq(services)
        await super().initialize()
        await set_public_menus(self.bot, services)
        await set_bot_profile(self.bot, services.translators, services.settings.default_locale)
        await staff.prepare_staff(self)
        await reminders.announce_opened_intakes(self, opened)

    async def process_update(self, update: object) -> None:
        """PTB's handling of one update, counted by type and timed for /metrics."""
        metrics: BotMetrics = self.bot_data[SERVICES].metrics
        metrics.updates.labels(update_type(update)).inc()
        with metrics.update_seconds.time():
            await super().process_update(update)

    async def start(self) -> None:
        await super().start()
        await handoff_albums.send_waiting_albums_at_start(self)
        # Also resumes broadcasts a restart or crash left in status "sending".
        self.broadcast_worker = BroadcastWorker(self)
        self.broadcast_worker.start()

    async def stop(self) -> None:
        # Before the job queue stops: an album still gathering parts is sent, not dropped.
        await handoff_albums.send_every_waiting_album(self)
        if self.broadcast_worker is not None:
            await self.broadcast_worker.stop()
        await super().stop()

    async def shutdown(self) -> None:
        await super().shutdown()
        await self.engine.dispose()


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    updates_request: BaseRequest | None = None,
    update_processor: BaseUpdateProcessor | None = None,
    persistence: BasePersistence | None = None,  # type: ignore[type-arg]
) -> VokasiApplication:
    """Build the bot; pass the in-process stand-in as `request` to run without Telegram (and
    another `update_processor` or `persistence` to compare with in a benchmark)."""
    content = load_all_content(settings)
    translators = load_translators()
    engine = create_engine(
        settings.database_url,
        busy_timeout=settings.sqlite_busy_timeout_seconds,
        synchronous=settings.sqlite_synchronous,
    )
    session_factory = create_session_factory(engine)
    metrics = BotMetrics()
    if settings.bot_token is not None:
        token = settings.bot_token.get_secret_value()
    elif request is not None:
        token = STANDIN_TOKEN
    else:
        raise ValueError("A bot token is needed unless a stand-in request is given")
    builder = (
        Application.builder()
        .application_class(VokasiApplication, {"engine": engine, "catalogue": content.catalogue})
        .token(token)
        .base_url(settings.bot_api_base_url)
        .base_file_url(settings.bot_api_base_file_url)
        .context_types(ContextTypes(context=BotContext))
        .concurrent_updates(update_processor or ChatOrderedUpdates(settings.concurrent_updates))
        .persistence(
            persistence
            or SqlPersistence(session_factory, update_interval=settings.persistence_flush_seconds)
        )
        # Telegram's overall limit is about 30/s; it is raised only when broadcasts are
        # configured faster (the stand-in in tests, a local Bot API server).
        .rate_limiter(
            CountedRateLimiter(metrics, overall_max_rate=max(30, settings.broadcast_rate + 5))
        )
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(updates_request or request)
    application: VokasiApplication = builder.build()  # type: ignore[assignment]
    application.bot_data[SERVICES] = Services(
        settings=settings,
        session_factory=session_factory,
        translators=dict(translators),
        vault=NikVault(load_data_key(settings)),
        faq=content.faq,
        file_faq=content.faq.faq,
        school=content.school,
        flood_gate=FloodGate(burst=settings.flood_burst, rate=settings.flood_rate),
        metrics=metrics,
    )

    # group -1 runs first for every update: who is this, and which language do they read?
    application.add_handler(identify.handler(), group=-1)
    # Within a group the first matching handler wins, and every group runs: so the catch-all
    # for what no feature took must be last in the same group, not in a later one.
    # The forms conversation comes first, so typed text mid-form is taken as an answer.
    application.add_handler(forms.conversation(), group=0)
    application.add_handlers(staff_desk.handlers(settings), group=0)
    application.add_handlers(handoff_edits.handlers(settings), group=0)
    # The Sekolah Rakyat and programme links are a /start with a payload: before the general
    # /start.
    features = (
        school,
        programme_links,
        start,
        language,
        programmes,
        programme_search,
        eligibility,
        intakes,
        status,
        my_data,
        handoff_feedback,
        questions,
        staff,
        review,
        review_moves,
        review_documents,
        export,
        broadcast,
        intake_settings,
        cohort_group,
        reload,
        questions_desk,
        question_answers,
        stats,
        faq_hits,
        handoff_ratings,
        campaigns,
        broadcast_list,
        audit,
        reachability,
    )
    for feature in (*features, fallback):
        application.add_handlers(feature.handlers(), group=0)
    # After every feature (a later group sees every update too): a tap or command elsewhere
    # ends the wait for a hand-off comment, so typed text is not taken for one later.
    application.add_handlers(handoff_feedback.forgetting_handlers(), group=1)
    application.add_error_handler(errors.report_error)
    application.job_queue.run_repeating(  # type: ignore[union-attr]
        reminders.remind_unfinished_registrations,
        interval=reminders.CHECK_EVERY_SECONDS,
        first=60,
        name="registration reminders",
    )
    application.job_queue.run_repeating(  # type: ignore[union-attr]
        reminders.purge_regularly,
        interval=reminders.PURGE_EVERY_SECONDS,
        first=300,
        name="retention clean-up",
    )
    application.job_queue.run_repeating(  # type: ignore[union-attr]
        unnamed_groups.leave_unnamed_groups_regularly,
        interval=unnamed_groups.CHECK_EVERY_SECONDS,
        first=600,
        name="unnamed groups",
    )
    application.job_queue.run_repeating(  # type: ignore[union-attr]
        intake_settings.apply_dates_regularly,
        # Start-up applies the dates already (sync_intakes in initialize).
        interval=intake_settings.DATES_EVERY_SECONDS,
        first=60,
        name="intake dates",
    )
    return application
