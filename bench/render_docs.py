"""Render the first page of each kind of Word export to a small PNG under ``docs/images/``.

Run ``python bench/render_docs.py`` from a checkout. It needs LibreOffice, the Noto fonts and
poppler (Debian: ``apt-get install -y libreoffice-writer-nogui fonts-noto-cjk fonts-noto-core
poppler-utils``): each document is converted to PDF with ``libreoffice --headless
--convert-to pdf``, then its first page to PNG with ``pdftoppm -png -r 60 -f 1 -l 1``.

Pictures: the A20 consensus in English and in Chinese, English and Chinese side by side, a
redline (a phrase replaced, an article deleted, one inserted, the title changed), the test
declaration in English, Chinese and Arabic side by side, and in Arabic alone; the Chinese
signature page of the final A20 text (its first page, found with ``pdftotext``) and a sheet of
A20 badges (printed by WeasyPrint, rendered at 50 dpi).
"""

from __future__ import annotations

import argparse
import datetime as dt
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import msgspec  # noqa: E402

from consensus_kit import export_badges, read_meeting_file  # noqa: E402
from consensus_kit.domain.codes import new_code  # noqa: E402
from consensus_kit.domain.endorsements import SignatoryLine  # noqa: E402
from consensus_kit.domain.hashing import declaration_hash  # noqa: E402
from consensus_kit.domain.ids import ArticleId, Lang, MeetingId, OrgId  # noqa: E402
from consensus_kit.domain.model import (  # noqa: E402
    Article,
    Declaration,
    Meeting,
    Organisation,
    Role,
    Version,
    VersionState,
)
from consensus_kit.formats.docx_export import (  # noqa: E402
    export_bilingual_docx,
    export_docx,
    export_parallel_docx,
)
from consensus_kit.formats.docx_redline import export_redline_docx  # noqa: E402

OUT = ROOT / "docs" / "images"
SIGNED = dt.datetime(2018, 3, 23, 15, 0, tzinfo=dt.UTC)


def version(meeting: Meeting, declaration: Declaration, number: int) -> Version:
    return Version(
        meeting=meeting.id,
        number=number,
        declaration=declaration,
        content_hash=declaration_hash(declaration),
        parent=number - 1 or None,
        created_by="chair",
        created_at=dt.datetime(2018, 3, 23, 9, 0, tzinfo=dt.UTC) + dt.timedelta(hours=number),
        state=VersionState.FROZEN,
    )


def signatories(meeting: Meeting) -> list[SignatoryLine]:
    lines = []
    for delegate in meeting.delegates:
        org = meeting.organisation(delegate.organisation) if delegate.organisation else None
        if org is not None and Role.SIGNATORY in delegate.roles:
            lines.append(
                SignatoryLine(
                    organisation=org.id,
                    names=dict(org.name),
                    country=org.country,
                    region=org.region,
                    signer=delegate.name,
                    signer_title=delegate.title,
                    signed_at=SIGNED,
                )
            )
    return lines


def revised(declaration: Declaration) -> Declaration:
    a1, a2, _, a4 = declaration.articles
    text = {
        Lang("en"): a2.text[Lang("en")].replace("especially especially", "especially"),
        Lang("zh"): a2.text[Lang("zh")].replace("尤其是发展中国家", "特别是发展中国家"),
    }
    a5 = Article(
        id=ArticleId("art-5"),
        text={Lang("en"): "We will meet again in 2019.", Lang("zh"): "我们将于2019年再次相聚。"},
    )
    title = {**declaration.title, Lang("en"): "A20 Global Consensus on Child Advocacy"}
    articles = (a1, Article(id=a2.id, text=text), a4, a5)
    return msgspec.structs.replace(declaration, title=title, articles=articles)


def trilingual() -> tuple[Meeting, Version, list[SignatoryLine]]:
    def texts(en: str, zh: str, ar: str) -> dict[Lang, str]:
        return {Lang("en"): en, Lang("zh"): zh, Lang("ar"): ar}

    orgs = [
        Organisation(
            id=OrgId("kenya"),
            name=texts("Kenya Alliance", "肯尼亚联盟", "تحالف كينيا"),
            country="KE",
        ),
        Organisation(
            id=OrgId("sudan"),
            name=texts("Al birr & Al Tawasul", "苏丹组织", "البر والتواصل"),
            country="SD",
        ),
    ]
    meeting = Meeting(
        id=MeetingId("test-summit"),
        title=texts("Test summit", "测试峰会", "قمة تجريبية"),
        place=texts("Nairobi, Kenya", "肯尼亚内罗毕", "نيروبي، كينيا"),
        start=dt.date(2026, 3, 18),
        end=dt.date(2026, 3, 20),
        languages=(Lang("en"), Lang("zh"), Lang("ar")),
        negotiating_language=Lang("en"),
        organisations=tuple(orgs),
    )
    declaration = Declaration(
        title=texts("Declaration on child protection", "儿童保护宣言", "إعلان حماية الطفل"),
        preamble=texts(
            "We, the organisations gathered in Nairobi, agree:",
            "我们一致同意：",
            "نحن، المنظمات المجتمعة في نيروبي، نتفق على ما يلي:",
        ),
        articles=(
            Article(
                id=ArticleId("art-1"),
                text=texts(
                    "Caring for and protecting children should be the primary concern of all.",
                    "关爱保护儿童应该成为国际社会共同关注的首要议题。",
                    "حماية الأطفال يجب أن تكون الشاغل الأساسي للمجتمع الدولي.",
                ),
            ),
            Article(
                id=ArticleId("art-2"),
                text=texts(
                    "We will work with UNICEF to reach the goal by 2030 (53 %).",
                    "我们与UNICEF合作，到2030年实现目标（53 %）。",
                    "سنعمل مع اليونيسف لتحقيق الهدف بحلول عام 2030 (53 %).",
                ),
            ),
        ),
        date=dt.date(2026, 3, 20),
    )
    lines = [
        SignatoryLine(
            organisation=o.id,
            names=dict(o.name),
            country=o.country,
            region=None,
            signer=signer,
            signer_title=title,
            signed_at=SIGNED,
        )
        for o, signer, title in zip(
            orgs, ["Timothy Ekesa", "Howyda Osman"], ["Director", "مديرة"], strict=True
        )
    ]
    return meeting, version(meeting, declaration, 1), lines


def documents() -> dict[str, bytes]:
    """Picture name → DOCX bytes."""
    a20 = read_meeting_file(ROOT / "examples" / "a20_2018" / "meeting.toml")
    meeting = a20.meeting
    v3 = version(meeting, a20.declaration, 3)
    v4 = version(meeting, revised(a20.declaration), 4)
    lines = signatories(meeting)
    who = {
        "art-2": ("Kenya Alliance for Advancement of Children", dt.datetime(2018, 3, 22, 11, 30)),
        "art-5": ("Halley Movement", dt.datetime(2018, 3, 22, 14, 0)),
    }
    tri_meeting, tri_version, tri_lines = trilingual()
    return {
        "docx-a20-en": export_docx(meeting, v3, "en", lines),
        "docx-a20-zh": export_docx(meeting, v3, "zh", lines),
        "docx-bilingual": export_bilingual_docx(meeting, v3, "en", "zh", lines),
        "docx-redline": export_redline_docx(meeting, v3, v4, "en", who),
        "docx-trilingual": export_parallel_docx(
            tri_meeting, tri_version, ["en", "zh", "ar"], tri_lines
        ),
        "docx-ar": export_docx(tri_meeting, tri_version, "ar", tri_lines),
        "docx-a20-signatures-zh": export_docx(meeting, v3, "zh", lines),
    }


def badges() -> bytes:
    """A20 badges with freshly drawn codes (they open nothing: the address is an example)."""
    meeting = read_meeting_file(ROOT / "examples" / "a20_2018" / "meeting.toml").meeting
    codes = {d.id: new_code(secrets.choice) for d in meeting.delegates}
    return export_badges(meeting, codes, "https://a20.example.org", lang="zh")


def _first_page_with(pdf: Path, text: str) -> int:
    pages = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout.split("\f")
    return next(i for i, page in enumerate(pages, start=1) if text in page)


def render(name: str, data: bytes, workdir: Path, out: Path) -> Path:
    """Convert one document to PDF and one page to ``out/name.png``: the first, or for the
    signature picture the page where the signatures begin."""
    source = workdir / f"{name}.docx"
    source.write_bytes(data)
    office = shutil.which("libreoffice") or shutil.which("soffice") or "libreoffice"
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(workdir), str(source)],
        check=True,
        capture_output=True,
    )
    pdf = workdir / f"{name}.pdf"
    page = _first_page_with(pdf, "签署") if "signatures" in name else 1
    return _png(pdf, page, out / name, dpi=60)


def _png(pdf: Path, page: int, stem: Path, *, dpi: int) -> Path:
    pages = ["-f", str(page), "-l", str(page), "-singlefile"]
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), *pages, str(pdf), str(stem)], check=True)
    return stem.with_suffix(".png")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the PNG files")
    parser.add_argument("--keep", type=Path, help="also keep the DOCX and PDF files here")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        pngs = [render(name, data, workdir, args.out) for name, data in documents().items()]
        sheet = workdir / "badges-a20.pdf"
        sheet.write_bytes(badges())
        pngs.append(_png(sheet, 1, args.out / "badges-a20", dpi=50))
        for png in pngs:
            print(
                f"{png.relative_to(ROOT) if png.is_relative_to(ROOT) else png}: "
                f"{png.stat().st_size / 1024:.0f} KB"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
