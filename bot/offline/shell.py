"""`python -m bot shell`: chat with the real bot in a terminal, with no Telegram and no token."""

import asyncio
import sys
from dataclasses import dataclass

from bot.config import Settings
from bot.offline.chat_driver import ChatUser
from bot.offline.offline_bot import offline_bot
from bot.offline.standin import SentMessage

PROMPT = "> "
INTRO = (
    "vokasi-bot shell: type a message, or the number of a button to tap it. "
    "Ctrl-D (or end of piped input) quits.\n"
)
# The number the shell user shares when they tap a "share my contact" button.
DEFAULT_PHONE = "+6281234567890"


@dataclass(frozen=True)
class ShownButton:
    """A button the shell printed, with the message it belongs to."""

    message: SentMessage
    label: str


def render(message: SentMessage, first_number: int = 1) -> str:
    """The message text, then its buttons numbered from first_number, one line per row."""
    lines = [message.plain_text]
    number = first_number
    for row in message.button_rows:
        labels = []
        for label in row:
            labels.append(f"[{number}] {label}")
            number += 1
        lines.append("   ".join(labels))
    return "\n".join(lines)


def show(replies: list[SentMessage]) -> dict[int, ShownButton]:
    """Print the replies to one action, numbering their buttons on from one message to the next."""
    shown: dict[int, ShownButton] = {}
    for message in replies:
        print(render(message, len(shown) + 1), end="\n\n")
        for label in message.buttons:
            shown[len(shown) + 1] = ShownButton(message, label)
    if not replies:
        print("(no reply)\n")
    return shown


async def press(user: ChatUser, shown: ShownButton, phone: str) -> list[SentMessage] | None:
    """Tap exactly this button: an inline one on its own message, or a reply-keyboard one.

    None means nothing reached the bot (a link button), so the buttons on screen stay.
    """
    button = shown.message.button(shown.label)
    if shown.message.has_inline_keyboard:
        data = shown.message.callback_data_for(shown.label)
        if data is None:
            print(f"(this button opens {button.get('url') or button}; nothing to do here)\n")
            return None
        return await user.tap_data(data, message_id=shown.message.message_id)
    if button.get("request_contact"):
        print(f"(you share your contact: {phone})\n")
        return await user.share_contact(phone_number=phone)
    return await user.send(shown.label)


async def run_shell(
    settings: Settings, *, user_id: int, language: str, phone: str = DEFAULT_PHONE
) -> int:
    interactive = sys.stdin.isatty()
    print(INTRO)
    async with offline_bot(settings) as bot:
        user = bot.user(user_id, first_name="Shell", language_code=language)
        # Numbers always refer to the buttons printed for the most recent action.
        shown: dict[int, ShownButton] = {}
        while True:
            if interactive:
                print(PROMPT, end="", flush=True)
            line = await asyncio.to_thread(sys.stdin.readline)
            if not line:
                break
            text = line.strip()
            if not text:
                continue
            if not interactive:
                print(f"{PROMPT}{text}")
            if text.isdigit() and int(text) in shown:
                replies = await press(user, shown[int(text)], phone)
                if replies is None:
                    continue
            else:
                replies = await user.send(text)
            shown = show(replies)
    return 0
