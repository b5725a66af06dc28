"""Rows of login attempts, ended logins and the code hash behind a delegate's credential."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, delete, insert, select, tuple_

from consensus_kit.domain.ids import DelegateId, MeetingId
from consensus_kit.storage.codec import _Rows, decode_time, encode_time
from consensus_kit.storage.tables import delegates, ended_logins, login_attempts

__all__ = ["AccessRows"]

_CODE_HASHES = select(delegates.c.id, delegates.c.code_hash).where(
    delegates.c.meeting_id == bindparam("meeting_id"),
    delegates.c.id.in_(bindparam("delegates", expanding=True)),
)

_CODE_HASHES_IN = select(delegates.c.meeting_id, delegates.c.id, delegates.c.code_hash).where(
    tuple_(delegates.c.meeting_id, delegates.c.id).in_(bindparam("pairs", expanding=True))
)
_ENDED_IN = select(ended_logins.c.meeting_id, ended_logins.c.login).where(
    tuple_(ended_logins.c.meeting_id, ended_logins.c.login).in_(bindparam("pairs", expanding=True))
)


class AccessRows(_Rows):
    """Login attempts (for rate limiting) and code hashes (for credentials)."""

    def add_login_attempt(self, keys: list[str], at: dt.datetime, *, failed: bool) -> None:
        self.c.execute(
            insert(login_attempts),
            [{"key": key, "at": encode_time(at), "failed": failed} for key in keys],
        )

    def login_attempts(
        self, key: str, since: dt.datetime, *, failed_only: bool
    ) -> list[dt.datetime]:
        query = select(login_attempts.c.at).where(
            login_attempts.c.key == key, login_attempts.c.at > encode_time(since)
        )
        if failed_only:
            query = query.where(login_attempts.c.failed.is_(True))
        return [decode_time(row.at) for row in self.c.execute(query)]

    def forget_login_attempts(self, before: dt.datetime) -> None:
        self.c.execute(delete(login_attempts).where(login_attempts.c.at <= encode_time(before)))

    def code_hashes_of(
        self, meeting_id: MeetingId, delegate_ids: list[DelegateId]
    ) -> dict[DelegateId, str | None]:
        rows = self.c.execute(
            _CODE_HASHES, {"meeting_id": meeting_id, "delegates": list(delegate_ids)}
        )
        return {DelegateId(row.id): row.code_hash for row in rows}

    def end_login(
        self, meeting_id: MeetingId, delegate_id: DelegateId, login: str, at: dt.datetime
    ) -> None:
        exists = self.c.execute(
            select(ended_logins.c.login).where(
                ended_logins.c.meeting_id == meeting_id, ended_logins.c.login == login
            )
        ).first()
        if exists is None:
            self.c.execute(
                insert(ended_logins).values(
                    meeting_id=meeting_id,
                    login=login,
                    delegate=delegate_id,
                    ended_at=encode_time(at),
                )
            )

    def ended_logins(self, meeting_id: MeetingId, logins: list[str]) -> set[str]:
        if not logins:
            return set()
        rows = self.c.execute(
            select(ended_logins.c.login).where(
                ended_logins.c.meeting_id == meeting_id, ended_logins.c.login.in_(logins)
            )
        )
        return {row.login for row in rows}

    def code_hashes_in(
        self, wanted: list[tuple[MeetingId, DelegateId]]
    ) -> dict[tuple[MeetingId, DelegateId], str | None]:
        if not wanted:
            return {}
        rows = self.c.execute(_CODE_HASHES_IN, {"pairs": wanted})
        return {(MeetingId(r.meeting_id), DelegateId(r.id)): r.code_hash for r in rows}

    def ended_logins_in(self, logins: list[tuple[MeetingId, str]]) -> set[tuple[MeetingId, str]]:
        if not logins:
            return set()
        rows = self.c.execute(_ENDED_IN, {"pairs": logins})
        return {(MeetingId(r.meeting_id), r.login) for r in rows}
