"""Write the character classes of the running Python's Unicode version for the tokenizer.

``python tools/unicode_classes.py`` writes ``consensus_kit/domain/unicode/<version>.json``
(see :mod:`consensus_kit.domain.tokens`); run it with each Python the project supports (3.11:
Unicode 14.0.0, 3.12: 15.0.0, 3.13: 15.1.0). Without the file of its version a Python builds
the classes itself on first use, in about 0.07 s.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from consensus_kit.domain.tokens import CLASSES_DIR, build_classes


def main() -> None:
    """Build the classes and write them, one line per class."""
    CLASSES_DIR.mkdir(exist_ok=True)
    target = CLASSES_DIR / f"{unicodedata.unidata_version}.json"
    classes = build_classes()
    lines = [
        f"{json.dumps(kind)}: {json.dumps(ranges, separators=(',', ':'))}"
        for kind, ranges in classes.items()
    ]
    target.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
