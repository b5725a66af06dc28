"""A door: a public method of the facade that opens onto one room's method.

``open_vote = door(Voting.open_vote)`` on :class:`~consensus_kit.service.service.MeetingService`
makes ``service.open_vote(...)`` call ``Voting.open_vote`` on the service's voting room, with the
same signature and docstring (for readers, type checkers and ``help()``). The first call binds the
room's method onto the instance, so later calls cost what a plain method call costs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, overload

__all__ = ["Door", "door"]

P = ParamSpec("P")
R = TypeVar("R")


class Door(Generic[P, R]):
    """The descriptor behind :func:`door`."""

    def __init__(self, method: Callable[Concatenate[Any, P], R]) -> None:
        self.method = method
        self.room = method.__qualname__.split(".")[0]
        self.name = method.__name__
        self.__doc__ = method.__doc__
        self.__wrapped__ = method  # inspect.signature and help() read the room's method

    def __set_name__(self, owner: type, name: str) -> None:
        if name != self.method.__name__:
            raise TypeError(f"{owner.__name__}.{name} opens onto {self.method.__qualname__}")
        self.name = name

    def __call__(self, service: Any, /, *args: P.args, **kwargs: P.kwargs) -> R:
        """``MeetingService.open_vote(service, ...)``, as with a plain method."""
        opened: Callable[P, R] = self.__get__(service)
        return opened(*args, **kwargs)

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> Door[P, R]: ...
    @overload
    def __get__(self, obj: object, owner: type | None = None) -> Callable[P, R]: ...
    def __get__(self, obj: object | None, owner: type | None = None) -> Any:
        if obj is None:
            return self
        rooms: dict[str, object] = obj._rooms  # type: ignore[attr-defined]
        bound = getattr(rooms[self.room], self.name)
        obj.__dict__[self.name] = bound
        return bound


def door(method: Callable[Concatenate[Any, P], R]) -> Door[P, R]:
    """A public method of the facade that calls ``method`` on the room of its class."""
    return Door(method)
