"""The package-level metadata of our Word files, instead of python-docx's template leftovers.

- ``docProps/app.xml`` names consensus-kit as the application (the template says "Microsoft
  Macintosh Word" with word counts of an empty page) and the meeting's organisers as company;
- ``docProps/custom.xml`` carries the meeting, the version, its state and its content hash as
  custom properties (Word: File › Properties › Custom; LibreOffice: Custom Properties);
- the template's thumbnail (a blank page, shown by file managers) is dropped: no thumbnail is
  better than a wrong one.
"""

from __future__ import annotations

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from consensus_kit._version import __version__
from consensus_kit.domain.ids import Lang
from consensus_kit.domain.model import Meeting, Version

__all__ = ["APPLICATION", "set_package_metadata"]

APPLICATION = "consensus-kit"
_EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the one format id of user properties


def _xml(root: etree._Element) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


def _app_xml(meeting: Meeting, lang: str) -> bytes:
    root = etree.Element(f"{{{_EXTENDED}}}Properties", nsmap={None: _EXTENDED, "vt": _VT})
    organisers = meeting.organisers.get(Lang(lang)) or meeting.organisers.get(
        meeting.negotiating_language, ""
    )
    for tag, value in (
        ("Application", APPLICATION),
        ("DocSecurity", "0"),
        ("ScaleCrop", "false"),
        ("Company", organisers),
        ("LinksUpToDate", "false"),
        ("SharedDoc", "false"),
        ("HyperlinksChanged", "false"),
    ):
        etree.SubElement(root, f"{{{_EXTENDED}}}{tag}").text = value
    return _xml(root)


def _custom_xml(meeting: Meeting, version: Version) -> bytes:
    root = etree.Element(f"{{{_CUSTOM}}}Properties", nsmap={None: _CUSTOM, "vt": _VT})
    values = (
        ("consensus-kit meeting", "lpwstr", str(meeting.id)),
        ("consensus-kit version", "i4", str(version.number)),
        ("consensus-kit state", "lpwstr", version.state.value),
        ("consensus-kit content hash", "lpwstr", f"sha256:{version.content_hash}"),
        ("consensus-kit release", "lpwstr", __version__),
    )
    for pid, (name, kind, value) in enumerate(values, start=2):  # pid 0 and 1 are reserved
        prop = etree.SubElement(
            root, f"{{{_CUSTOM}}}property", fmtid=_FMTID, pid=str(pid), name=name
        )
        etree.SubElement(prop, f"{{{_VT}}}{kind}").text = value
    return _xml(root)


def set_package_metadata(document: Document, meeting: Meeting, version: Version, lang: str) -> None:
    """Replace the template's app.xml, add our custom properties, drop its thumbnail."""
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rel_id)
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = _app_xml(meeting, lang)
        elif rel.reltype == RT.CUSTOM_PROPERTIES:
            package.rels.pop(rel_id)
    custom = Part(PackURI("/docProps/custom.xml"), _CUSTOM_TYPE, _custom_xml(meeting, version))
    package.relate_to(custom, RT.CUSTOM_PROPERTIES)
