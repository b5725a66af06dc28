r"""Benchmark of the diff engine against the peers a competent user would pick.

Run ``python bench/bench_diff.py`` (30 repetitions, full sizes) or ``--quick`` (3 repetitions,
a fifth of the sizes). A bench runner can ``import`` this file and call :func:`run`.

Texts (deterministic, seeded): *natural* ones are the first 2,000 words of the A20 summary
report in English and its first 3,000 characters in Chinese (bench/texts/, the project's seed
documents, unchanged); *synthetic* ones are sentences drawn word by word (character by
character for Chinese) from the A20 consensus with its word frequencies. Then 1 %, 5 % or 30 %
of the words (characters) are replaced (60 %), deleted (20 %) or followed by an inserted word
(20 %). The amendment scenario: 500 amendments of a 100-article declaration, 1–5 words each.

Peers, and why each is fair (every peer's time includes its own splitting of the texts, as
ours includes our tokenizing; ours also cleans up and builds the ops a page shows):

- ``difflib.SequenceMatcher(None, old.split(), new.split())``, default and ``autojunk=False``:
  the standard library on whitespace words, as a user calls it. (The former peer, difflib on
  our own token stream where the space is every other token, is difflib's pathological case
  and flattered us by two orders of magnitude.)
- diff-match-patch in word mode: words and spaces mapped to one character each, the
  ``diff_linesToChars`` recipe, then ``diff_main`` (``Diff_Timeout = 0``: exact) and
  ``diff_cleanupSemantic``, as its documentation suggests for word diffs; on characters for
  Chinese, its intended use.
- rapidfuzz ``Indel.opcodes`` on the same split (``\s+|\S+``; characters for Chinese): the
  bare exact alignment in C++, the practical limit, since our engine is built on it.

Targets: ≥ 3× both difflib settings and within 2× of rapidfuzz for English words; ≥ 3×
diff-match-patch on characters for Chinese. Every diff is first checked to rebuild both texts.
``--quick`` is a smoke run and checks nothing but that each row ran. The exit status is 0 when
every target is met.
"""

from __future__ import annotations

import argparse
import difflib
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from diff_match_patch import diff_match_patch
from rapidfuzz.distance import Indel

try:
    from consensus_kit.domain.diff import diff_texts, new_text, old_text
    from consensus_kit.domain.tokens import tokenize
except ImportError:  # run as a script from a checkout: python bench/bench_diff.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from consensus_kit.domain.diff import diff_texts, new_text, old_text
    from consensus_kit.domain.tokens import tokenize

EN_CORPUS = """
On March 18- 2018, the Beijing Children’s Legal Aid and Research Center and Alibaba Group opened
the A20 Global Social Leadership Summit on Child Advocacy in Beijing. The Summit is supported by
the China NGO Network for International Exchanges and the China Soong Ching Ling Science and
Culture Exchange Center for Youth People. Representatives of non-government organizations on
child care and protection from 20 countries from Asia, Africa and Europe participated and shared
their advocacy experiences on child care and protection, as well as the challenges they face and
their visions for the future. We hereby would like to announce that we have reached a consensus
on the following issues: Caring for and protecting children should be the primary concern of
the global community. Today’s society faces challenges in respect to children rights, such as
terrorism, regional conflicts, pollution, climate change, and poverty. Children are not only
direct victims of these challenges, but also the hope and foundation for resolving them in the
future. Therefore, we believe that in order to fully implement the United Nation Convention on
the Rights of Children, and to address the common challenges faced by human society, the global
community should further emphasize the care and protection of children. Non-governmental
organizations should play a more active role in advocating for the care and protecting of
children. With recent rapid social development and the challenges it brings, the development of
civil society’s global child advocacy efforts have fallen behind, especially in developing
countries where organizations face policy, funding, and talent constraints, as well as a lack of
awareness. Therefore, in order to lay a foundation for the sustainable development of all
countries, we believe that the global community should pay more attention and provide increased
support to domestic non-governmental organizations on child care and protection that reflect
their own cultures and continuously serve their children, especially especially in developing
countries. Strengthening the collaboration between non-governmental organizations and the
private sector should be high on the agenda for child care and protection. Businesses today play
an increasingly important role in child survival and development. We fully recognize that, in
the Internet era, it is particularly important to fully utilize the resources of technology
companies in the care and protection of children. We anticipate more in-depth cooperation
between civil society and the private sector, giving full play to their respective advantages
in order to make greater contributions to the well being of children around the globe. Build a
dynamic global platform for child protection. We recognize that there is an insufficient level
of international and regional communication and collaboration in the area of child care and
protection, and that certain cultures as well as unique challenges and experiences in
developing countries tend to be neglected. The Summit is a historic moment for the promotion of
global child care and protection, particularly in developing countries. We will take this
opportunity to exchange information and resources as well as share our experiences and discuss
questions and concerns. We will work together to build a dynamic global platform for child
protection, laying the foundation for a peaceful and amiable human culture and for a shared
future of humanity.
"""

ZH_CORPUS = """
2018年3月18日, 由北京青少年法律援助与研究中心和阿里巴巴集团共同组织召开的峰会在
北京开幕, 来自亚洲、非洲、欧洲的20个国家关爱保护儿童类社会组织参加了此次峰会, 本次
峰会获得中国民间组织国际交流促进会、中国宋庆龄青少年科技文化交流中心的支持。峰会期间,
与会成员分享了各自组织以及所在国家关爱保护儿童工作的经验、面临的困难以及未来的设想, 并
就以下问题达成共识。关爱保护儿童应该成为国际社会共同关注的首要议题。当前, 人类社会
的发展面临着众多挑战, 儿童不仅是人类社会所面临现实问题的直接受害者, 也是未来解决问题
的希望。我们认为, 为了更有效落实联合国《儿童权利公约》, 从根本上解决人类社会所面临的
各种挑战, 国际社会以及各国从战略上都应该更加重视关爱保护儿童事业的发展。社会组织应
该成为关爱保护儿童事业的重要力量。与社会快速发展、人类面临更多复杂艰巨挑战的时代相比,
全球关爱保护儿童类社会组织发展缓慢, 尤其是在发展中国家, 受到观念、政策、资金、人员等
方面的限制, 这类社会组织更不发达。我们认为, 国际社会和各国, 尤其是发展中国家, 应
该更加重视、支持关爱保护儿童类社会组织的发展, 培育更多反映本国文化、能够持续服务本国儿
童的本土社会组织, 以为各国尤其是发展中国家的可持续发展奠定基础。加强社会组织与企业
合作应该列入关爱保护儿童事业的重要议程。现代企业在儿童的生存和发展中发挥着越来越重要的作
用。我们充分认识到, 人类已经进入互联网时代, 在关爱保护儿童领域, 充分发挥互联网企业
的优势和资源将变得尤为重要。我们期待, 更多企业与关爱保护儿童类社会组织深化合作, 更好
地发挥各自优势, 为全球儿童的健康成长做出更大贡献。构建一个充满活力的全球儿童保护平
台。我们认识到, 全球关爱保护儿童领域的区域或国际交流合作并不充分, 很多发展中国家特定
的文化、面临的困难和积累的经验容易被忽视。本次峰会在促进全球尤其是发展中国家关爱保护儿童
事业方面具有历史意义, 我们将以本次峰会为契机, 加强信息分享、经验交流、问题研讨、资源
分享, 共同搭建一个充满活力的全球儿童保护平台, 为建设一个和平友爱的人类社会、构建人类
命运共同体夯实未来的基础。
"""

Row = dict[str, Any]


def _vocabulary(corpus: str) -> list[str]:
    """Words and numbers (Chinese: characters) of a corpus, repeated as often as they occur."""
    return [t for t in tokenize(corpus) if t[0].isalnum()]


def make_article(rng: random.Random, *, words: int, chinese: bool) -> str:
    """A deterministic article: paragraphs of sentences of 8–30 words drawn from the corpus."""
    vocab = _vocabulary(ZH_CORPUS if chinese else EN_CORPUS)
    paragraphs: list[str] = []
    count = 0
    while count < words:
        sentences: list[str] = []
        for _ in range(rng.randint(3, 6)):
            size = rng.randint(8, 30)
            count += size
            drawn = [rng.choice(vocab) for _ in range(size)]
            if chinese:
                cut = rng.randint(3, size - 3)
                sentences.append("".join(drawn[:cut]) + "，" + "".join(drawn[cut:]) + "。")
            else:
                sentence = " ".join(drawn)
                sentences.append(sentence[0].upper() + sentence[1:] + ".")
        paragraphs.append(("" if chinese else " ").join(sentences))
    return "\n\n".join(paragraphs)


def mutate(rng: random.Random, text: str, rate: float, *, chinese: bool, at_least: int = 0) -> str:
    """Change ``rate`` of the words (characters): replace 60 %, delete 20 %, insert after 20 %."""
    vocab = _vocabulary(ZH_CORPUS if chinese else EN_CORPUS)
    tokens = tokenize(text)
    words = [i for i, t in enumerate(tokens) if t[0].isalnum()]
    for i in rng.sample(words, max(at_least, round(len(words) * rate))):
        roll = rng.random()
        if roll < 0.6:
            tokens[i] = rng.choice(vocab)
        elif roll < 0.8:
            tokens[i] = ""
            if not chinese and i + 1 < len(tokens) and tokens[i + 1] == " ":
                tokens[i + 1] = ""
        else:
            tokens[i] += ("" if chinese else " ") + rng.choice(vocab)
    return "".join(tokens)


TEXTS = Path(__file__).resolve().parent / "texts"
SPLIT = re.compile(r"\s+|\S+").findall
DMP = diff_match_patch()
DMP.Diff_Timeout = 0  # exact: the default 1 s silently degrades a large diff


def natural(chinese: bool, size: int) -> str:
    """The first ``size`` words (characters) of the A20 summary report."""
    if chinese:
        text = (TEXTS / "a20-report.zh.txt").read_text(encoding="utf-8")
        body = text[text.index("2018年3月18日") :]
        return body[:size]
    words = (TEXTS / "a20-report.en.txt").read_text(encoding="utf-8").split(" ")
    return " ".join(words[:size])


def _dmp_words(old: str, new: str) -> None:
    """diff-match-patch in word mode (the ``diff_linesToChars`` recipe over words)."""
    table: dict[str, str] = {}
    words = [""]  # as diff_linesToChars does: index 0 unused, each word one character

    def encode(text: str) -> str:
        out = []
        for word in SPLIT(text):
            if word not in table:
                table[word] = chr(len(words))
                words.append(word)
            out.append(table[word])
        return "".join(out)

    diffs = DMP.diff_main(encode(old), encode(new), False)
    DMP.diff_charsToLines(diffs, words)
    DMP.diff_cleanupSemantic(diffs)


def _dmp_chars(old: str, new: str) -> None:
    diffs = DMP.diff_main(old, new, False)
    DMP.diff_cleanupSemantic(diffs)


def _once(action: Callable[[], object]) -> float:
    """Wall-clock milliseconds of one call."""
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def _p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def _row(name: str, pairs: list[tuple[str, str]], *, reps: int, quick: bool, chinese: bool) -> Row:
    lang = "zh" if chinese else None
    for old, new in pairs:  # correctness first
        ops = diff_texts(old, new, lang=lang)
        assert old_text(ops) == old and new_text(ops) == new, name

    def ours() -> None:
        for old, new in pairs:
            diff_texts(old, new, lang=lang)

    peers: dict[str, Callable[[], None]] = {}
    if chinese:
        peers["diff-match-patch on characters"] = lambda: (
            [_dmp_chars(a, b) for a, b in pairs] and None
        )
        peers["rapidfuzz on characters"] = lambda: [Indel.opcodes(a, b) for a, b in pairs] and None
    else:
        peers["difflib default"] = lambda: (
            [difflib.SequenceMatcher(None, a.split(), b.split()).get_opcodes() for a, b in pairs]
            and None
        )
        peers["difflib autojunk=False"] = lambda: (
            [
                difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).get_opcodes()
                for a, b in pairs
            ]
            and None
        )
        peers["diff-match-patch word mode"] = lambda: [_dmp_words(a, b) for a, b in pairs] and None
        peers["rapidfuzz"] = lambda: [Indel.opcodes(SPLIT(a), SPLIT(b)) for a, b in pairs] and None
    # alternate ours and every peer at each repetition, so that a burst of load from other
    # jobs on a shared machine hits both alike (a slow peer stops after ~10 s, 5 samples)
    ours()
    for peer in peers.values():
        peer()  # warm-up: compiled patterns, caches
    mine: list[float] = []
    theirs: dict[str, list[float]] = {label: [] for label in peers}
    spent = dict.fromkeys(peers, 0.0)
    for _ in range(reps):
        mine.append(_once(ours))
        for label, peer in peers.items():
            if spent[label] < 10.0 or len(theirs[label]) < 5:
                theirs[label].append(_once(peer))
                spent[label] += theirs[label][-1] / 1000
    median = statistics.median(mine)
    ratios = {label: statistics.median(t) / median for label, t in theirs.items()}
    if chinese:
        binding = "diff-match-patch on characters"
        met = ratios[binding] >= 3
        target = "≥ 3× diff-match-patch on characters"
    else:
        binding = min(("difflib default", "difflib autojunk=False"), key=ratios.__getitem__)
        met = min(ratios["difflib default"], ratios["difflib autojunk=False"]) >= 3 and (
            ratios["rapidfuzz"] >= 0.5
        )
        target = "≥ 3× difflib (both settings), ≥ 0.5× rapidfuzz (within 2×)"
    notes = "; ".join(
        f"{label} {statistics.median(t):,.2f} ms ({ratios[label]:.1f}×)"
        for label, t in theirs.items()
    )
    return {
        "name": name,
        "reps": len(mine),
        "ours_median_ms": median,
        "ours_p99_ms": _p99(mine),
        "peer": binding,
        "peer_median_ms": statistics.median(theirs[binding]),
        "peer_p99_ms": _p99(theirs[binding]),
        "ratio": ratios[binding],
        "target": f"smoke run: {target}" if quick else target,
        "met": True if quick else met,
        "notes": f"all peers: {notes}",
    }


def run(quick: bool) -> list[Row]:
    """Time every scenario; one row per scenario (see the module docstring)."""
    reps = 3 if quick else 30
    scale = 0.2 if quick else 1.0
    rows: list[Row] = []
    for chinese, full_size, label in ((False, 2000, "en"), (True, 3000, "zh")):
        size = round(full_size * scale)
        unit = "chars" if chinese else "words"
        texts = {
            "natural": natural(chinese, size),
            "synthetic": make_article(
                random.Random(f"{label}-article"), words=size, chinese=chinese
            ),
        }
        for kind, base in texts.items():
            for rate in (0.01, 0.05, 0.30):
                changed = mutate(
                    random.Random(f"{label}-{kind}-{rate}"), base, rate, chinese=chinese
                )
                name = f"diff: {label} {size} {unit}, {kind}, {rate:.0%} changed"
                rows.append(_row(name, [(base, changed)], reps=reps, quick=quick, chinese=chinese))
    rng = random.Random("amendments")
    articles = [
        make_article(rng, words=rng.randint(100, 200), chinese=False).replace("\n\n", " ")
        for _ in range(100)
    ]
    count = 50 if quick else 500
    pairs = []
    for _ in range(count):
        text = rng.choice(articles)
        pairs.append((text, mutate(rng, text, 0.0, chinese=False, at_least=rng.randint(1, 5))))
    name = f"diff: {count} amendments of a 100-article declaration (total)"
    rows.append(_row(name, pairs, reps=reps, quick=quick, chinese=False))
    return rows


def markdown(rows: list[Row]) -> str:
    """The rows as a Markdown table."""
    lines = [
        "| scenario | ours median | ours p99 | peer | peer median | ratio | target | met |",
        "|---|---:|---:|---|---:|---:|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['name']} | {r['ours_median_ms']:.2f} ms | {r['ours_p99_ms']:.2f} ms "
            f"| {r['peer']} | {r['peer_median_ms']:.2f} ms | {r['ratio']:.1f}× "
            f"| {r['target']} | {'yes' if r['met'] else 'NO'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="3 repetitions, small texts")
    args = parser.parse_args(argv)
    rows = run(args.quick)
    print(markdown(rows))
    return 0 if all(r["met"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
