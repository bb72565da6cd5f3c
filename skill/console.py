"""`hamstring-coach chat`: hold the Alexa conversation by typing.

Each typed line is heard through the interaction model (skill.nlu), wrapped in the request
envelope Alexa would send (skill.envelopes) and answered in process by the same skill the
`/alexa` endpoint and the Lambda run (skill.build). The session attributes travel back and forth
as Alexa carries them; the spoken SSML is shown as plain text and the card as Alexa's app would
show it. A line on its own ("Enter") is the runner staying silent: Alexa reprompts once, then
closes the session.

It also runs from a pipe, one utterance a line, which is how its tests hold whole conversations.
"""

from __future__ import annotations

import contextlib
import getpass
import html
import importlib
import os
import re
import sys
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rehab.clock import today_in
from skill import envelopes
from skill.nlu import LOCALES, VoiceModel, split_invocation

INTRO = (
    "Hamstring Coach: type what you would say to Alexa, one line at a time.\n"
    "Press Enter to open the skill, or start with \"ask hamstring coach to check my hamstring\".\n"
    "An empty line later is silence; Ctrl-D leaves.\n"
)


_SPELLED = r"<say-as[^>]*interpret-as=\"(?:spell-out|characters)\"[^>]*>"


def speech_text(output_speech: Mapping[str, Any] | None) -> str:
    """What Alexa says, as plain text: tags dropped, spelled-out codes shown letter by letter and a
    pause elsewhere shown as "…" (the skill pauses after a code, where no punctuation shows it)."""
    if not output_speech:
        return ""
    if output_speech.get("type") == "PlainText":
        return " ".join(str(output_speech.get("text", "")).split())
    ssml = str(output_speech.get("ssml", ""))
    # A pause long enough to do something in (an at-home test's) is shown with its length.
    ssml = re.sub(r'<break time="([2-9]|10)s"\s*/>', lambda m: f" [pause {m.group(1)} s] ", ssml)
    # A pause between two spelled characters is just the gap between letters.
    ssml = re.sub(rf"(</say-as>)\s*<break[^>]*/>\s*(?={_SPELLED})", r"\1 ", ssml)
    ssml = re.sub(rf"{_SPELLED}(.*?)</say-as>", lambda match: " ".join(match.group(1).replace(" ", "")),
                  ssml, flags=re.S)
    ssml = re.sub(r"([.,!?;:])\s*<break[^>]*/>", r"\1 ", ssml)
    ssml = re.sub(r"<break[^>]*/>", " … ", ssml)
    text = html.unescape(re.sub(r"<[^>]+>", " ", ssml))
    text = re.sub(r"\s+([.,!?;:])", r"\1", " ".join(text.split()))
    text = re.sub(r"…(?:\s*…)+", "…", text)
    return re.sub(r"\s*…\s*$", "", text)


def card_text(card: Mapping[str, Any] | None) -> list[str]:
    """The card the Alexa app would show, as lines."""
    if not card:
        return []
    body = card.get("content") or card.get("text") or ""
    lines = [f"[Card] {card.get('title', '')}".rstrip()]
    lines += [f"  {line}".rstrip() for line in str(body).splitlines()]
    return lines


def local_timezone() -> str:
    """This computer's IANA zone, standing in for the Echo's (the Settings API on a real device)."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    target = os.path.realpath("/etc/localtime")
    candidates.append(target.split("/zoneinfo/", 1)[1] if "/zoneinfo/" in target else "")
    for name in candidates:
        if name and ("/" in name or name == "UTC"):
            try:
                ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
            return name
    return "UTC"


def _console_user() -> str:
    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, as in some containers
        who = "runner"
    return f"amzn1.ask.account.console-{re.sub(r'[^A-Za-z0-9]', '', who) or 'runner'}"


class Console:
    """One typed session with the skill. `say(line)` is one utterance; the transcript goes to `out`."""

    def __init__(self, skill: Any, invoke: Callable[[Any, dict], dict], out: TextIO, *, locale: str,
                 user_id: str, timezone: str, clock: Callable[[], datetime]):
        self.skill, self.invoke, self.out = skill, invoke, out
        self.locale, self.user_id, self.timezone, self.clock = locale, user_id, timezone, clock
        self.voice = VoiceModel.for_locale(locale)
        self.session_id: str | None = None
        self.attributes: dict[str, Any] = {}
        self.reprompt = ""
        self.reprompted = False
        self.ended = False

    @property
    def open(self) -> bool:
        return self.session_id is not None and not self.ended

    def _today(self) -> date:
        return today_in(self.timezone, self.clock())

    def _common(self, new: bool) -> dict[str, Any]:
        return {"locale": self.locale, "user_id": self.user_id, "session_attributes": self.attributes,
                "new": new, "timestamp": self.clock(), "session_id": self.session_id}

    def _new_session(self) -> None:
        self.session_id = f"amzn1.echo-api.session.{uuid.uuid4()}"
        self.attributes = {}
        self.ended = False

    def request_for(self, typed: str) -> dict[str, Any]:
        """The envelope Alexa would send for this line, opening a session when none is open."""
        invocation = split_invocation(typed, self.voice.invocation_name)
        launch = invocation.named and not invocation.request
        new = not self.open or launch
        if new:
            self._new_session()
        if launch or (new and not invocation.request):
            return envelopes.launch_request(**self._common(new))
        understood = self.voice.understand(invocation.request, today=self._today())
        return understood.envelope(**self._common(new))

    def say(self, typed: str) -> None:
        """One line from the runner: an utterance, or silence when empty in an open session."""
        if self.open and not typed.strip():
            self.silence()
            return
        self.reprompted = False
        self.respond(self.request_for(typed))

    def silence(self) -> None:
        if self.reprompt and not self.reprompted:
            self.reprompted = True
            self._print(f"Alexa: {self.reprompt}")
            return
        self.leave("EXCEEDED_MAX_REPROMPTS")
        self._print("(Alexa closes the session)")

    def leave(self, reason: str = "USER_INITIATED") -> None:
        """The runner walked away: Alexa tells the skill, which keeps their progress."""
        if not self.open:
            return
        self.ended = True
        envelope = envelopes.session_ended_request(reason, locale=self.locale, user_id=self.user_id,
                                                   session_attributes=self.attributes,
                                                   timestamp=self.clock(), session_id=self.session_id)
        self.invoke(self.skill, envelope)

    def respond(self, envelope: dict[str, Any]) -> None:
        reply = self.invoke(self.skill, envelope)
        response = reply.get("response") or {}
        self._print(f"Alexa: {speech_text(response.get('outputSpeech'))}")
        for line in card_text(response.get("card")):
            self._print(line)
        self.reprompt = speech_text((response.get("reprompt") or {}).get("outputSpeech"))
        self.attributes = dict(reply.get("sessionAttributes") or {})
        if response.get("shouldEndSession") is True:
            self.ended = True
            self._print("(session ended)")

    def _print(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()


def _read_line(stdin: TextIO, stdout: TextIO, *, at_terminal: bool, echo: bool) -> str | None:
    """The next typed line without its newline, or None at the end of input."""
    if at_terminal:
        try:
            return input("You: ")
        except EOFError:
            return None
    stdout.write("You: ")
    stdout.flush()
    line = stdin.readline()
    if not line:
        return None
    line = line.rstrip("\n")
    if echo:
        stdout.write(line + "\n")
    return line


def run_console(stdin: TextIO | None = None, stdout: TextIO | None = None, *, skill: Any = None,
                locale: str = "en-US", user_id: str | None = None, timezone: str | None = None,
                clock: Callable[[], datetime] | None = None) -> int:
    """`hamstring-coach chat`. Returns 0 when the session ends or input runs out, 130 on Ctrl-C,
    2 for an unknown locale, 1 if the skill itself failed (it should not: it apologises instead)."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    if locale not in LOCALES:
        stdout.write(f"No voice model for {locale!r}; choose one of {', '.join(LOCALES)}.\n")
        return 2
    timezone = timezone or local_timezone()
    clock = clock or (lambda: datetime.now(UTC))
    from skill.build import build_skill_for, invoke_json  # imported when needed: the CLI's other commands

    if skill is None:
        from plans.config import Config  # the console is a composition root: it reads the settings

        skill = build_skill_for(Config.from_env(), timezone_lookup=lambda _handler_input: timezone,
                                clock=clock)
    console = Console(skill, invoke_json, stdout, locale=locale, user_id=user_id or _console_user(),
                      timezone=timezone, clock=clock)
    interactive = stdin.isatty()
    # At a terminal, input() gives line editing and history; from a pipe, echo what was "said" so
    # the transcript reads as a conversation.
    at_terminal = interactive and stdin is sys.stdin and stdout is sys.stdout
    if at_terminal:
        with contextlib.suppress(ImportError):
            importlib.import_module("readline")
    stdout.write(INTRO)
    try:
        while not console.ended:
            line = _read_line(stdin, stdout, at_terminal=at_terminal, echo=not interactive)
            if line is None:
                stdout.write("\n")
                console.leave()
                return 0
            console.say(line)
    except KeyboardInterrupt:
        stdout.write("\n")
        console.leave()
        return 130
    except Exception as error:  # the skill's own handlers should have caught it; never a traceback here
        stdout.write(f"The skill failed on that turn ({type(error).__name__}); the session is over.\n")
        return 1
    return 0
