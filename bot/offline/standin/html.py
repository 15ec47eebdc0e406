"""Telegram's HTML formatting: parsing, validation and the plain text + entities it yields."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from bot.offline.standin.errors import bad_request
from bot.offline.standin.records import JSONDict

_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_HTML_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
# Telegram decodes only these character references; anything else stays literal text.
_HTML_ENTITY_RE = re.compile(r"&(?:#x([0-9a-fA-F]+)|#([0-9]+)|([A-Za-z]+));?")
_TRIMMED = " \t\r\n\v\f"


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le")) // 2


class EntityParseError(Exception):
    """HTML that Telegram would refuse with "can't parse entities"."""


def _decode_html_entities(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        hex_code, dec_code, name = match.groups()
        if name is not None:
            return _NAMED_HTML_ENTITIES.get(name, match.group(0))
        code = int(hex_code, 16) if hex_code is not None else int(dec_code)
        if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return match.group(0)
        return chr(code)

    return _HTML_ENTITY_RE.sub(replace, text)


@dataclass
class _OpenTag:
    name: str
    attrs: dict[str, str | None]
    offset: int
    language: str | None = None


class TelegramHTMLParser(HTMLParser):
    """Parses Bot API HTML the way Telegram does, producing plain text and entities."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=False)
        self._source = source
        self._line_starts = [0] + [i + 1 for i, ch in enumerate(source) if ch == "\n"]
        self._parts: list[str] = []
        self._utf16 = 0
        self._open: list[_OpenTag] = []
        self._entities: list[JSONDict] = []

    def parse(self) -> tuple[str, list[JSONDict]]:
        """Return (plain text, entities) or raise EntityParseError."""
        self.feed(self._source)
        self.close()
        if self._open:
            raise EntityParseError(
                f'Can\'t find end tag corresponding to start tag "{self._open[-1].name}"'
            )
        entities = sorted(self._entities, key=lambda e: (e["offset"], -e["length"]))
        return "".join(self._parts), entities

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open a formatting entity."""
        if tag not in _HTML_TAGS:
            raise self._unsupported(tag)
        attributes = dict(attrs)
        if tag == "span" and attributes.get("class") != "tg-spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {self._byte_offset()}'
            )
        if tag == "tg-emoji" and not (attributes.get("emoji-id") or "").isdigit():
            raise EntityParseError(
                "Custom emoji entity must contain a valid custom emoji identifier"
            )
        self._open.append(_OpenTag(tag, attributes, self._utf16))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Reject self-closing tags, which Telegram reads as unknown tag names."""
        raise self._unsupported(f"{tag}/")

    def handle_endtag(self, tag: str) -> None:
        """Close the innermost formatting entity."""
        offset = self._byte_offset()
        if not self._open:
            raise EntityParseError(f"Unexpected end tag at byte offset {offset}")
        current = self._open[-1]
        if current.name != tag:
            raise EntityParseError(
                f'Unmatched end tag at byte offset {offset}, expected "</{current.name}>", '
                f'found "</{tag}>"'
            )
        self._open.pop()
        self._add_entity(current)

    def handle_data(self, data: str) -> None:
        """Append text; a raw '<' here is a tag Telegram cannot parse."""
        if "<" in data:
            start = self._char_offset() + data.index("<")
            end = start + 1
            while end < len(self._source) and self._source[end] not in " \t\r\n>":
                end += 1
            if end >= len(self._source):
                raise EntityParseError(f"Unclosed start tag at byte offset {self._bytes(start)}")
            raise EntityParseError(
                f'Unsupported start tag "{self._source[start + 1 : end]}" '
                f"at byte offset {self._bytes(start)}"
            )
        self._append(_decode_html_entities(data))

    def handle_entityref(self, name: str) -> None:
        """Decode a named reference, keeping unknown names literal like Telegram."""
        self._append(_decode_html_entities(self._raw_reference(f"&{name}")))

    def handle_charref(self, name: str) -> None:
        """Decode a numeric character reference."""
        self._append(_decode_html_entities(self._raw_reference(f"&#{name}")))

    def handle_comment(self, data: str) -> None:
        """Reject comments."""
        raise self._unsupported("!--")

    def handle_decl(self, decl: str) -> None:
        """Reject declarations."""
        raise self._unsupported(f"!{decl.split(' ')[0]}")

    def unknown_decl(self, data: str) -> None:
        """Reject CDATA and similar."""
        raise self._unsupported(f"![{data.split(' ')[0]}")

    def handle_pi(self, data: str) -> None:
        """Reject processing instructions."""
        raise self._unsupported(f"?{data.split(' ')[0]}")

    def _add_entity(self, tag: _OpenTag) -> None:
        length = self._utf16 - tag.offset
        if tag.name == "code" and self._open and self._open[-1].name == "pre":
            css_class = tag.attrs.get("class") or ""
            if css_class.startswith("language-"):
                self._open[-1].language = css_class.removeprefix("language-")
                return
        if length <= 0:
            return
        entity: JSONDict = {"type": _HTML_TAGS[tag.name], "offset": tag.offset, "length": length}
        if tag.name == "a":
            href = tag.attrs.get("href")
            if not href:
                return
            entity["url"] = href
        elif tag.name == "pre" and tag.language:
            entity["language"] = tag.language
        elif tag.name == "blockquote" and "expandable" in tag.attrs:
            entity["type"] = "expandable_blockquote"
        elif tag.name == "tg-emoji":
            entity["custom_emoji_id"] = tag.attrs["emoji-id"]
        self._entities.append(entity)

    def _append(self, text: str) -> None:
        self._parts.append(text)
        self._utf16 += utf16_length(text)

    def _raw_reference(self, prefix: str) -> str:
        end = self._char_offset() + len(prefix)
        return prefix + ";" if self._source[end : end + 1] == ";" else prefix

    def _unsupported(self, tag: str) -> EntityParseError:
        return EntityParseError(
            f'Unsupported start tag "{tag}" at byte offset {self._byte_offset()}'
        )

    def _char_offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _byte_offset(self) -> int:
        return self._bytes(self._char_offset())

    def _bytes(self, char_offset: int) -> int:
        return len(self._source[:char_offset].encode())


def _trim(text: str, entities: list[JSONDict]) -> tuple[str, list[JSONDict]]:
    """Strip surrounding whitespace like Telegram, keeping entities aligned with the text."""
    stripped = text.strip(_TRIMMED)
    if stripped == text:
        return text, entities
    # Trimmed characters are ASCII whitespace, so characters and UTF-16 units coincide.
    lead = len(text) - len(text.lstrip(_TRIMMED))
    total = utf16_length(stripped)
    kept: list[JSONDict] = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


def format_text(
    text: str, parse_mode: str | None, entities: list[JSONDict] | None = None
) -> tuple[str, list[JSONDict]]:
    """Turn text as sent into (plain text, entities) as Telegram stores it, or raise ApiError."""
    if parse_mode and parse_mode.lower() == "html":
        try:
            plain, parsed = TelegramHTMLParser(text).parse()
        except EntityParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
        return _trim(plain, parsed)
    # Markdown modes are not parsed: their markup is counted and shown as-is.
    return _trim(text, list(entities or []))
