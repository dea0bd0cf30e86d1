"""`exoreview screen`: title-and-abstract screening in the terminal, one key per action."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from exoreview.records import Record
from exoreview.results import EXCLUDE, INCLUDE, MAYBE
from exoreview.screen.session import Progress, ScreeningSession

KEYS = {"i": INCLUDE, "e": EXCLUDE, "m": MAYBE}
LEGEND = "[i] include  [e] exclude  [m] maybe  [u] undo  [n] note  [q] quit"


def highlighted(text: str, session: ScreeningSession) -> Text:
    rich_text = Text(text)
    if session.pattern is not None:
        for match in session.pattern.finditer(text):
            rich_text.stylize("bold black on yellow", match.start(), match.end())
    return rich_text


def progress_line(progress: Progress) -> str:
    line = (f"{progress.screened}/{progress.total} screened · {progress.included} include · "
            f"{progress.excluded} exclude · {progress.maybe} maybe · {progress.remaining} left")
    if progress.recall is not None:
        r = progress.recall
        line += f" · estimated recall {r.estimate:.2f} (95% interval {r.low:.2f}–{r.high:.2f})"
        if r.screened != progress.screened:  # a front end that estimates in the background
            line += f" after {r.screened} screened"
    return line


def record_view(record_id: int, record: Record, session: ScreeningSession) -> Panel:
    where = ", ".join(p for p in (record.journal.title, str(record.year or "")) if p)
    ids = " ".join(p for p in (f"PMID {record.pmid}" if record.pmid else "", f"doi {record.doi}" if record.doi else "")
                   if p)
    parts: list[Text] = [highlighted(record.title or "(no title)", session)]
    parts.append(Text(" · ".join(p for p in (record.first_author, where, ids) if p), style="dim"))
    parts.append(Text(""))
    parts.append(highlighted(record.abstract_text or "(no abstract)", session))
    return Panel(Group(*parts), title=f"record {record_id}", subtitle=LEGEND)


def run_screener(session: ScreeningSession, console: Console, read_key: Callable[[], str],
                 read_line: Callable[[str], str]) -> Progress:
    """Loop until the queue is empty or the reviewer quits; every decision is stored as it is made."""
    message = ""
    while True:
        progress = session.progress()
        console.print(Text(progress_line(progress), style="bold"))
        item = session.current()
        if item is None:
            console.print("Nothing left to screen. Done.")
            return progress
        record_id, record = item
        console.print(record_view(record_id, record, session))
        if message:
            console.print(Text(message, style="cyan"))
        console.print(Text("key> "), end="")
        key = read_key().lower()
        console.print(key)
        if key == "q":
            console.print("Saved. Run `exoreview screen` again to resume.")
            return progress
        if key in KEYS:
            reason = ""
            if KEYS[key] == EXCLUDE:
                reason = choose_reason(session, console, read_key)
            decision = session.decide(KEYS[key], reason)
            message = f"record {record_id}: {decision.label}" + (f" ({reason})" if reason else "")
        elif key == "u":
            undone = session.undo()
            message = f"undid record {undone.record_id}: {undone.label}" if undone else "nothing to undo"
        elif key == "n":
            session.note(read_line("note> "))
            message = "note kept for this record's decision"
        else:
            message = f"unknown key {key!r}: {LEGEND}"


def choose_reason(session: ScreeningSession, console: Console, read_key: Callable[[], str]) -> str:
    reasons = session.reasons()
    if not reasons:
        return ""
    for number, (reason_id, text) in enumerate(reasons, start=1):
        console.print(f"  [{number}] {reason_id}: {text}", markup=False)
    console.print("reason (number, or Enter for none)> ", end="")
    key = read_key()
    console.print(key)
    if key.isdigit() and 1 <= int(key) <= len(reasons):
        return reasons[int(key) - 1][0]
    return ""
