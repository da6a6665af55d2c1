#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora.

Usage: Fuzz/make-seeds.py OUTPUT_DIR [EXTRA_DOCX_DIR...]

OUTPUT_DIR/parse/ gets whole files for the `FuzzParse` target: the bundled samples, one small
.docx per construct the parser reads (built here with zipfile), a few hostile shapes, some plain
text, and the .docx files of each EXTRA_DOCX_DIR (files up to 256 KB).

OUTPUT_DIR/document-xml/ gets inputs for the `FuzzDocumentXML` target: the XML parts of the same
.docx files, joined with the part separator that target splits on (document, numbering,
footnotes, header, core properties; see Fuzz/Sources/FuzzSupport/PartsInput.swift).
"""

from __future__ import annotations

import hashlib
import io
import sys
import zipfile
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
PART_SEPARATOR = b"\n<!--next-part-->\n"
MAX_EXTRA_BYTES = 256_000
MAX_XML_SEED_BYTES = 262_144  # the fuzzers' -max_len

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
STRICT_OFFICE_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
RELATIONSHIP_TYPES = {
    "numbering": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering",
    "footnotes": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes",
    "endnotes": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes",
    "header": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header",
    "footer": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer",
    "comments": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments",
}
CORE_TYPE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
MAIN_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
TEMPLATE_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
NAMESPACES = (
    f'xmlns:w="{W}" xmlns:r="{R}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wps"'
)


def paragraph(text: str, properties: str = "") -> str:
    return f'<w:p>{properties}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def document(body: str, namespace: str = W) -> str:
    namespaces = NAMESPACES.replace(W, namespace)
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {namespaces}><w:body>{body}<w:sectPr/></w:body></w:document>'


def part(root: str, content: str, namespace: str = W) -> str:
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{root} xmlns:w="{namespace}" xmlns:r="{R}">{content}</w:{root}>'


NUMBERING = part(
    "numbering",
    '<w:abstractNum w:abstractNumId="0">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="%3."/></w:lvl>'
    "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="\u2022"/></w:lvl></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
    '<w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="4"/></w:lvlOverride></w:num>',
)
FOOTNOTES = part(
    "footnotes",
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1">' + paragraph("Led by the platform team.") + "</w:footnote>",
)
ENDNOTES = part("endnotes", '<w:endnote w:id="1">' + paragraph("References on request.") + "</w:endnote>")
HEADER = part("hdr", paragraph("Jordan Rivera \u00b7 jordan@example.com"))
FOOTER = part("ftr", paragraph("Page 1"))
COMMENTS = part("comments", '<w:comment w:id="0" w:author="Reviewer">' + paragraph("Shorten this") + "</w:comment>")
CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>Resume</dc:title><dc:creator>Jordan Rivera</dc:creator>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2024-01-02T03:04:05Z</dcterms:created>'
    "</cp:coreProperties>"
)


def docx(
    body: str,
    parts: dict[str, str] | None = None,
    namespace: str = W,
    office_document: str = OFFICE_DOCUMENT,
    main_part: str = "word/document.xml",
    content_type: str = MAIN_CONTENT_TYPE,
    core: bool = True,
) -> bytes:
    """A small .docx: the body, plus named parts (numbering, footnotes, header, …) wired by relationships."""
    parts = parts or {}
    main_folder, main_name = main_part.rsplit("/", 1)
    overrides = f'<Override PartName="/{main_part}" ContentType="{content_type}"/>'
    relationships = []
    files: dict[str, str] = {}
    for index, (kind, xml) in enumerate(parts.items(), start=10):
        name = f"{kind}.xml" if kind not in ("header", "footer") else f"{kind}1.xml"
        files[f"{main_folder}/{name}"] = xml
        relationships.append(f'<Relationship Id="rId{index}" Type="{RELATIONSHIP_TYPES[kind]}" Target="{name}"/>')
    package_relationships = [f'<Relationship Id="rId1" Type="{office_document}" Target="{main_part}"/>']
    if core:
        package_relationships.append(f'<Relationship Id="rId2" Type="{CORE_TYPE}" Target="docProps/core.xml"/>')
        files["docProps/core.xml"] = CORE
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>',
        )
        archive.writestr("_rels/.rels", f'<?xml version="1.0"?><Relationships xmlns="{RELS}">{"".join(package_relationships)}</Relationships>')
        archive.writestr(f"{main_folder}/{main_name}", document(body, namespace))
        if relationships:
            archive.writestr(
                f"{main_folder}/_rels/{main_name}.rels",
                f'<?xml version="1.0"?><Relationships xmlns="{RELS}">{"".join(relationships)}</Relationships>',
            )
        for name, xml in files.items():
            archive.writestr(name, xml)
    return buffer.getvalue()


def lie_about_sizes(data: bytes, name: str, declared: int) -> bytes:
    """Rewrites the uncompressed size of `name` in its local header and central directory entry."""
    output = bytearray(data)
    encoded = name.encode()
    for signature, size_offset, name_offset in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (start := output.find(signature, start)) != -1:
            if output[start + name_offset : start + name_offset + len(encoded)] == encoded:
                output[start + size_offset : start + size_offset + 4] = declared.to_bytes(4, "little")
            start += 4
    return bytes(output)


def list_item(text: str, num_id: int, level: int = 0) -> str:
    return paragraph(text, f'<w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr>')


def cell(content: str) -> str:
    return f"<w:tc>{content}</w:tc>"


def constructed_documents() -> dict[str, bytes]:
    seeds: dict[str, bytes] = {}
    seeds["paragraphs-runs"] = docx(
        '<w:p><w:r><w:t>Ship</w:t></w:r><w:r><w:t>ped</w:t></w:r><w:r><w:tab/><w:t>billing</w:t><w:br/>'
        '<w:t>service</w:t><w:cr/><w:noBreakHyphen/><w:softHyphen/><w:sym w:font="Symbol" w:char="F0B7"/></w:r></w:p>'
        + paragraph("Summary", '<w:pPr><w:pStyle w:val="Heading1"/></w:pPr>')
    )
    seeds["table-nested"] = docx(
        "<w:tbl><w:tr>"
        + cell(paragraph("Company"))
        + cell("<w:tbl><w:tr>" + cell(paragraph("2019")) + cell(paragraph("2023")) + "</w:tr></w:tbl>" + paragraph(""))
        + "</w:tr></w:tbl>"
    )
    seeds["lists"] = docx(
        list_item("First", 1) + list_item("Nested", 1, 1) + list_item("Deeper", 1, 2) + list_item("Second", 1)
        + list_item("Bullet", 2) + list_item("Restarted", 3),
        {"numbering": NUMBERING},
    )
    seeds["headers-footers-notes"] = docx(
        '<w:p><w:r><w:t>Body</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:endnoteReference w:id="1"/></w:r></w:p>',
        {"header": HEADER, "footer": FOOTER, "footnotes": FOOTNOTES, "endnotes": ENDNOTES, "comments": COMMENTS},
    )
    seeds["text-box-alternate"] = docx(
        '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData>'
        "<wps:wsp><wps:txbx><w:txbxContent>" + paragraph("In the box") + "</w:txbxContent></wps:txbx></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>"
        + paragraph("In the box") + "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )
    seeds["text-box-vml"] = docx(
        "<w:p><w:r><w:pict><v:shape><v:textbox><w:txbxContent>" + paragraph("VML box") + "</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>"
    )
    seeds["inline-containers"] = docx(
        '<w:p><w:hyperlink r:id="rId99"><w:r><w:t>portfolio</w:t></w:r></w:hyperlink>'
        "<w:smartTag><w:r><w:t> Seattle</w:t></w:r></w:smartTag><w:customXml><w:r><w:t> WA</w:t></w:r></w:customXml></w:p>"
        "<w:sdt><w:sdtPr/><w:sdtContent>" + paragraph("Content control") + "</w:sdtContent></w:sdt>"
    )
    seeds["tracked-changes"] = docx(
        '<w:p><w:ins w:id="1"><w:r><w:t>kept</w:t></w:r></w:ins><w:del w:id="2"><w:r><w:delText>dropped</w:delText></w:r></w:del>'
        '<w:moveTo w:id="3"><w:r><w:t> moved</w:t></w:r></w:moveTo><w:moveFrom w:id="4"><w:r><w:t>old</w:t></w:r></w:moveFrom></w:p>'
    )
    seeds["fields"] = docx(
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> HYPERLINK "x" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>shown</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p>'
    )
    seeds["hidden-text"] = docx(
        paragraph("Visible") + '<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>kubernetes kubernetes</w:t></w:r></w:p>'
    )
    seeds["strict"] = docx(
        paragraph("Strict document"), namespace=STRICT_W, office_document=STRICT_OFFICE_DOCUMENT
    )
    seeds["template-other-main-part"] = docx(
        paragraph("Template"), main_part="word/main.xml", content_type=TEMPLATE_CONTENT_TYPE
    )
    seeds["no-text"] = docx("<w:p/>")
    seeds["entities"] = docx(paragraph("R&amp;D &#x1F600; &lt;tag&gt; caf\u00e9"))
    # Hostile shapes kept small so they make good seeds; the large ones are built by the tests.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("_rels/.rels", f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{OFFICE_DOCUMENT}" Target="word/document.xml"/></Relationships>')
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">'
            '<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&b;&x;</w:t></w:r></w:p></w:body></w:document>',
        )
    seeds["doctype"] = buffer.getvalue()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", document(paragraph("No relationships")))
    seeds["no-relationships"] = buffer.getvalue()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    seeds["spreadsheet"] = buffer.getvalue()
    seeds["truncated"] = seeds["lists"][: len(seeds["lists"]) // 2]
    # Limit error paths: a highly compressed main part (ratio limit), the same with sizes that lie
    # (declared 1 KB), and more entries than an archive may list.
    bomb = docx('<w:p><w:r><w:t>' + "a" * 2_000_000 + "</w:t></w:r></w:p>", core=False)
    seeds["bomb-honest"] = bomb
    seeds["bomb-lying-sizes"] = lie_about_sizes(bomb, "word/document.xml", 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for index in range(1_001):
            archive.writestr(f"customXml/item{index}.xml", "<a/>")
    seeds["too-many-entries"] = buffer.getvalue()
    seeds["deep-nesting"] = docx("<w:sdt><w:sdtContent>" * 40 + paragraph("deep") + "</w:sdtContent></w:sdt>" * 40)
    return seeds


def plain_texts() -> dict[str, bytes]:
    text = "Jordan Rivera\nBackend engineer\n\u2022 Shipped the billing service\n"
    return {
        "utf8.txt": text.encode("utf-8"),
        "utf8-bom-crlf.txt": b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"),
        "utf16le.txt": b"\xff\xfe" + text.encode("utf-16-le"),
        "utf16be.txt": b"\xfe\xff" + text.encode("utf-16-be"),
        "windows-1252.txt": "Caf\u00e9 \u2013 r\u00e9sum\u00e9\r\n".encode("cp1252"),
        "ole-header.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
        "pdf.pdf": b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n",
        "rtf.rtf": b"{\\rtf1\\ansi Resume}",
        "binary.bin": bytes(range(256)),
    }


def xml_parts(data: bytes) -> bytes | None:
    """The XML parts of a .docx joined for FuzzDocumentXML: document, numbering, footnotes, header, core."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()

            def first(*candidates: str) -> bytes:
                for candidate in candidates:
                    for name in names:
                        if name == candidate or (candidate.endswith("*") and name.startswith(candidate[:-1]) and name.endswith(".xml")):
                            return archive.read(name)
                return b""

            main = first("word/document.xml", "word/main.xml")
            if not main:
                return None
            pieces = [main, first("word/numbering.xml"), first("word/footnotes.xml"), first("word/header*"), first("docProps/core.xml")]
    except (zipfile.BadZipFile, KeyError, ValueError, NotImplementedError, OSError, EOFError, RuntimeError):
        return None
    while pieces and not pieces[-1]:
        pieces.pop()
    return PART_SEPARATOR.join(pieces)


def xml_parts_main_only(data: bytes) -> bytes | None:
    parts = xml_parts(data)
    return parts.split(PART_SEPARATOR)[0] if parts is not None else None


def write(folder: Path, name: str, data: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha1(data).hexdigest()[:12]
    (folder / f"{name}-{digest}").write_bytes(data)


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    output = Path(sys.argv[1])
    parse_dir, xml_dir = output / "parse", output / "document-xml"

    documents: dict[str, bytes] = {}
    for sample in sorted((REPOSITORY / "Examples" / "Samples").glob("*")):
        if sample.is_file():
            documents[f"sample-{sample.name}"] = sample.read_bytes()
    documents.update(constructed_documents())
    documents.update(plain_texts())
    for extra in sys.argv[2:]:
        folder = Path(extra)
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.suffix.lower() in (".docx", ".dotx", ".docm", ".dotm") and path.stat().st_size <= MAX_EXTRA_BYTES:
                documents[f"corpus-{path.stem}"] = path.read_bytes()

    xml_count = 0
    for name, data in documents.items():
        write(parse_dir, name, data)
        parts = xml_parts(data)
        if parts is not None and len(parts) > MAX_XML_SEED_BYTES:
            parts = xml_parts_main_only(data)
        if parts is not None and len(parts) <= MAX_XML_SEED_BYTES:
            write(xml_dir, name, parts)
            xml_count += 1
    print(f"seeds: {len(documents)} in {parse_dir}, {xml_count} in {xml_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
