"""The live feed's route: ``GET /live`` opens a meeting's Server-Sent Events (see
:mod:`webui.live` for how the events reach it)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.params import FromQuery
from litestar.response import Stream

from consensus_kit import InvalidInput
from webui.api.schemas import MAX_NUMBER
from webui.deps import login_of
from webui.live import LiveHub

__all__ = ["live_feed"]


def _start_id(request: Request[Any, Any, Any], after: int | None) -> int | None:
    """Where the stream starts, checked before it opens (an error inside an open stream can
    only cut it): ``Last-Event-ID``, else ``?after=``, else ``None`` (from now on)."""
    header = request.headers.get("last-event-id")
    raw: int | str | None = header if header else after
    field = "last-event-id" if header else "after"
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise InvalidInput("expected an event number", field=field) from None
    if not 0 <= value <= MAX_NUMBER:
        raise InvalidInput(f"must be an event number from 0 to {MAX_NUMBER}", field=field)
    return value


@get("/live", include_in_schema=False)
async def live_feed(request: Request[Any, Any, Any], after: FromQuery[int | None] = None) -> Stream:
    """The meeting's events as Server-Sent Events, after ``Last-Event-ID`` or ``?after=``.

    Authenticated by the session cookie or a bearer token. Each message has ``id:`` (the event's
    sequence number), ``event:`` (its type) and a small JSON ``data:``; pages re-fetch the
    fragments that event affects.

    A new stream costs no worker thread of its own: the login is checked in the event loop
    (trusted for a second after its last check; logins checked at the same moment share one
    read), and the events it missed come from those the hub keeps, brought up to date by one read
    of the log shared by the streams opened together. 2,000 phones reconnecting at once made
    2,000 × 3 reads, each in a worker thread, before.
    """
    hub: LiveHub = request.app.state.hub
    credentials = login_of(request)
    meeting, delegate = await hub.service.resume_async(*credentials)
    hub.service.check_event_reader(delegate, meeting)
    start = _start_id(request, after)
    if start is None:  # no resume point: from the meeting's latest event on
        start = await hub.latest(meeting.id)
    return Stream(
        hub.stream(delegate, meeting.id, start, credentials),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
