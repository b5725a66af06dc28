"""Access codes: what a delegate types to log in. Stored only as hashes.

A code is 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L), about 59 bits of
randomness, printed in groups of four: ``K7QM-3XPA-9TWE``. Because codes are random tokens, not
chosen passwords, a plain SHA-256 is the right hash (as for API tokens): it allows looking a
code up, and guessing one is infeasible.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

__all__ = ["ALPHABET", "code_hash", "new_code", "normalise_code"]

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_LENGTH = 12


def new_code(choice: Callable[[str], str]) -> str:
    """A new code, drawing characters with ``choice`` (pass ``secrets.choice``).

    >>> len(new_code(lambda s: s[0]))
    14
    """
    raw = "".join(choice(ALPHABET) for _ in range(_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, _LENGTH, 4))


def normalise_code(typed: str) -> str:
    """What a person typed, as the canonical code: upper case, no spaces or dashes.

    >>> normalise_code(" k7qm-3xpa 9twe ")
    'K7QM3XPA9TWE'
    """
    return "".join(ch for ch in typed.upper() if ch not in " -\t")


def code_hash(code: str) -> str:
    """The stored form of a code."""
    return hashlib.sha256(f"consensus-kit/code/1:{normalise_code(code)}".encode()).hexdigest()
