"""`python -m bot shell`: chat with the real bot in a terminal, with no Telegram and no token."""

import asyncio
import sys

from bot.config import Settings
from bot.offline import offline_bot
from bot.standin import SentMessage

PROMPT = "> "
INTRO = (
    "vokasi-bot shell: type a message, or the number of a button to tap it. "
    "Ctrl-D (or end of piped input) quits.\n"
)


def render(message: SentMessage) -> str:
    lines = [message.plain_text]
    number = 1
    for row in message.button_rows:
        labels = []
        for label in row:
            labels.append(f"[{number}] {label}")
            number += 1
        lines.append("   ".join(labels))
    return "\n".join(lines)


async def run_shell(settings: Settings, *, user_id: int, language: str) -> int:
    interactive = sys.stdin.isatty()
    print(INTRO)
    async with offline_bot(settings) as bot:
        user = bot.user(user_id, first_name="Shell", language_code=language)
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
            buttons = user.buttons
            if text.isdigit() and 1 <= int(text) <= len(buttons):
                replies = await user.tap(buttons[int(text) - 1])
            else:
                replies = await user.send(text)
            for message in replies:
                print(render(message), end="\n\n")
            if not replies:
                print("(no reply)\n")
    return 0
