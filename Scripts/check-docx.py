#!/usr/bin/env python3
"""Checks that edited Word documents are sound, against their originals.

    Scripts/check-docx.py FOLDER            check the cases in FOLDER
    Scripts/check-docx.py --corpus DIR      edit several paragraphs of every readable .docx of DIR with
                                            DocxEditor (the docx-soundness tool of the Benchmarks package),
                                            then check them all; prints refused paragraphs and the pass rate

A case in FOLDER is S.original.docx with S.expected.txt (the text the edit should give) and the edited
documents S.clean.docx and/or S.tracked.docx (tracked changes). Each edited document must pass:

 1. A well-formed zip whose entries have the original's names in the original's order; every part but the
    main document ([Content_Types].xml included) byte-identical to the original's.
 2. The main document is well-formed XML; revision ids are unique; bookmarks start and end in pairs;
    field begin/separate/end are balanced; every numId used exists in the numbering part; deleted runs
    hold w:delText and nothing else does.
 3. ResumeParsing reads back exactly the expected text; for tracked changes, accept-all reads back the
    expected text too, and reject-all reads back what reject-all of the original reads.
 4. python-docx opens it; LibreOffice converts it headless to PDF.

A check the original itself already fails (a duplicate id, an unpaired bookmark, a file LibreOffice cannot
convert…) is not held against the edit when the edited file fails it in the same way; such cases pass and
are listed as "inherited".

Options: --reader PATH (the docx-soundness executable; by default it is built with swift build),
--keep DIR (with --corpus: write the cases there and keep them), --no-libreoffice (skip the PDF
conversion; the run then says it is incomplete), --jobs N (parallel LibreOffice conversions, default 2).
"""

import argparse
import collections
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

from lxml import etree

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORD_NAMESPACES = [
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
]
RELATIONSHIP_NAMESPACES = [
    "http://schemas.openxmlformats.org/package/2006/relationships",
]
REVISION_ELEMENTS = [
    "ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "sectPrChange", "tblPrChange",
    "trPrChange", "tcPrChange", "tblGridChange", "tblPrExChange", "numberingChange", "cellIns", "cellDel",
    "cellMerge",
]
PROPERTY_CHANGES = [
    "rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "trPrChange", "tcPrChange", "tblGridChange",
    "tblPrExChange", "numberingChange",
]
RANGE_MARKS = ["moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd"]
PARSER = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)


# MARK: - Packages

def read_package(path):
    """The entries of a zip as a list of (name, bytes, info)."""
    with zipfile.ZipFile(path) as archive:
        bad = archive.testzip()
        if bad is not None:
            raise ValueError(f"entry {bad} fails its CRC")
        return [(info.filename, archive.read(info), info) for info in archive.infolist()]


def main_part_name(entries):
    """The main document's part name from the package relationships (word/document.xml by default)."""
    rels = dict((name, data) for name, data, _ in entries).get("_rels/.rels")
    if rels is not None:
        try:
            root = etree.fromstring(rels, PARSER)
            for relationship in root:
                if str(relationship.get("Type", "")).endswith("/officeDocument"):
                    return relationship.get("Target", "").lstrip("/")
        except etree.XMLSyntaxError:
            pass
    return "word/document.xml"


def related_part(entries, main, kind):
    """The part of relationship type `kind` (such as numbering) of the main part, if any."""
    directory, base = os.path.split(main)
    rels = dict((name, data) for name, data, _ in entries).get(f"{directory}/_rels/{base}.rels")
    if rels is None:
        return None
    try:
        root = etree.fromstring(rels, PARSER)
    except etree.XMLSyntaxError:
        return None
    for relationship in root:
        if str(relationship.get("Type", "")).endswith("/" + kind) and relationship.get("TargetMode") != "External":
            target = relationship.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return os.path.normpath(os.path.join(directory, target)).replace(os.sep, "/")
    return None


def word_namespace(root):
    for namespace in WORD_NAMESPACES:
        if root.tag.startswith("{" + namespace + "}") or namespace in root.nsmap.values():
            return namespace
    return WORD_NAMESPACES[0]


def rewritten(entries, main, xml_bytes):
    """The package with the main part replaced (everything else copied)."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name, data, info in entries:
            archive.writestr(info, xml_bytes if name == main else data, compress_type=zipfile.ZIP_DEFLATED)
    return output.getvalue()


# MARK: - Structure (check 2)

def structure_problems(root, numbering_ids):
    """The structural problems of a main part, as a set of descriptions (no text of the document)."""
    w = "{" + word_namespace(root) + "}"
    problems = set()
    ids = collections.Counter()
    for name in REVISION_ELEMENTS:
        for element in root.iter(w + name):
            value = element.get(w + "id")
            if value is not None:
                ids[value] += 1
    for value, count in ids.items():
        if count > 1:
            problems.add(f"revision id {value} used {count} times")
    starts = collections.Counter(e.get(w + "id") for e in root.iter(w + "bookmarkStart"))
    ends = collections.Counter(e.get(w + "id") for e in root.iter(w + "bookmarkEnd"))
    for value in set(starts) | set(ends):
        if starts[value] != 1 or ends[value] != 1:
            problems.add(f"bookmark {value}: {starts[value]} start(s), {ends[value]} end(s)")
    depth = []
    for element in root.iter(w + "fldChar"):
        kind = element.get(w + "fldCharType")
        if kind == "begin":
            depth.append(False)
        elif kind == "separate":
            if not depth or depth[-1]:
                problems.add("field separate without an open field")
            else:
                depth[-1] = True
        elif kind == "end":
            if not depth:
                problems.add("field end without a begin")
            else:
                depth.pop()
    if depth:
        problems.add(f"{len(depth)} field(s) never end")
    for element in root.iter(w + "numId"):
        value = element.get(w + "val")
        if value not in (None, "0") and value not in numbering_ids:
            problems.add(f"numId {value} is not in the numbering part")
    # Deleted runs hold w:delText (moved-away runs, in w:moveFrom, keep w:t).
    for run in root.iter(w + "r"):
        ancestors = {ancestor.tag for ancestor in run.iterancestors()}
        for child in run:
            if w + "del" in ancestors and child.tag == w + "t":
                problems.add("a deleted run holds w:t")
            if not ancestors & {w + "del", w + "moveFrom"} and child.tag == w + "delText":
                problems.add("w:delText outside a deletion")
    for paragraph in root.iter(w + "p"):
        parent = paragraph.getparent()
        if parent is not None and parent.tag in (w + "p", w + "r", w + "ins", w + "del"):
            problems.add(f"a paragraph inside {etree.QName(parent).localname}")
    return problems


def numbering_ids(entries, main):
    name = related_part(entries, main, "numbering")
    data = dict((n, d) for n, d, _ in entries).get(name) if name else None
    if data is None:
        return set()
    try:
        root = etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError:
        return set()
    w = "{" + word_namespace(root) + "}"
    return {element.get(w + "numId") for element in root.iter(w + "num")}


# MARK: - Accepting and rejecting revisions

def _unwrap(element):
    parent = element.getparent()
    index = parent.index(element)
    children = list(element)
    if children:
        children[-1].tail = (children[-1].tail or "") + (element.tail or "")
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    parent.remove(element)


def _remove(element):
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def _merge_with_next(paragraph, w):
    """Joins a paragraph whose mark is gone with the next paragraph of the same container."""
    following = paragraph.getnext()
    while following is not None and following.tag != w + "p" and following.tag in (
        w + "bookmarkStart", w + "bookmarkEnd", w + "commentRangeStart", w + "commentRangeEnd",
        w + "permStart", w + "permEnd", w + "proofErr",
    ):
        following = following.getnext()
    if following is None or following.tag != w + "p":
        return
    content = [child for child in paragraph if child.tag != w + "pPr"]
    position = 1 if len(following) and following[0].tag == w + "pPr" else 0
    for offset, child in enumerate(content):
        following.insert(position + offset, child)
    paragraph.getparent().remove(paragraph)


def resolve_revisions(xml_bytes, accept):
    """The main part with every revision accepted (or rejected)."""
    root = etree.fromstring(xml_bytes, PARSER)
    w = "{" + word_namespace(root) + "}"
    kept, dropped = ("ins", "moveTo"), ("del", "moveFrom")
    if not accept:
        kept, dropped = dropped, kept
    merges = []
    # Paragraph marks and table rows first (the marks sit in w:rPr of w:pPr, and in w:trPr).
    for name in ("ins", "del", "moveFrom", "moveTo"):
        for element in list(root.iter(w + name)):
            parent = element.getparent()
            if parent.tag == w + "rPr" and parent.getparent() is not None and parent.getparent().tag == w + "pPr":
                if name in dropped:
                    merges.append(parent.getparent().getparent())
                _remove(element)
            elif parent.tag == w + "rPr":
                _remove(element)
            elif parent.tag == w + "trPr":
                if name in dropped:
                    row = parent.getparent()
                    _remove(row)
                else:
                    _remove(element)
    for name in dropped:
        for element in list(root.iter(w + name)):
            _remove(element)
    for name in kept:
        for element in list(root.iter(w + name)):
            if not accept:
                for child in element.iter(w + "delText"):
                    child.tag = w + "t"
                for child in element.iter(w + "delInstrText"):
                    child.tag = w + "instrText"
            _unwrap(element)
    for name in PROPERTY_CHANGES:
        for change in list(root.iter(w + name)):
            properties = change.getparent()
            if not accept and properties is not None and len(change):
                # The change holds the properties as they were: put them back.
                stays = (w + "rPr", w + "sectPr") if name == "pPrChange" else ()
                for child in list(properties):
                    if child is not change and child.tag not in stays:
                        properties.remove(child)
                for offset, child in enumerate(list(change[0])):
                    properties.insert(offset, child)
            _remove(change)
    for name in RANGE_MARKS:
        for element in list(root.iter(w + name)):
            _remove(element)
    for paragraph in merges:
        if paragraph is not None and paragraph.getparent() is not None:
            _merge_with_next(paragraph, w)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# MARK: - The Swift reader and LibreOffice

def build_reader():
    print("building docx-soundness (swift build --package-path Benchmarks --product docx-soundness)…",
          flush=True)
    package = os.path.join(REPOSITORY, "Benchmarks")
    subprocess.run(["swift", "build", "--package-path", package, "--product", "docx-soundness"], check=True,
                   stdout=subprocess.DEVNULL)
    bin_path = subprocess.run(["swift", "build", "--package-path", package, "--show-bin-path"], check=True,
                              capture_output=True, text=True).stdout.strip()
    return os.path.join(bin_path, "docx-soundness")


def read_texts(reader, paths):
    """ResumeParsing's text of each file (or its error code), in one process per 200 files."""
    texts = {}
    paths = list(paths)
    for start in range(0, len(paths), 200):
        batch = paths[start:start + 200]
        output = subprocess.run([reader, "text", *batch], check=True, capture_output=True).stdout
        for path, value in json.loads(output).items():
            texts[os.path.realpath(path)] = value
    return {path: texts.get(os.path.realpath(path), {"error": "not read"}) for path in paths}


def convert_with_libreoffice(paths, work, jobs, label):
    """The files LibreOffice converted to a non-empty PDF (one soffice per batch, each its own profile)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("error: soffice is not installed (apt-get install libreoffice-writer-nogui), "
                         "or pass --no-libreoffice")
    paths = list(paths)
    batches = [paths[index::jobs] for index in range(jobs)] if paths else []
    processes = []
    for number, batch in enumerate(batches):
        if not batch:
            continue
        outdir = os.path.join(work, f"{label}{number}")
        os.makedirs(outdir, exist_ok=True)
        profile = "file://" + os.path.join(work, f"{label}-profile{number}")
        command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", outdir, *batch]
        processes.append((subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
                          outdir, batch))
    converted = set()
    for process, outdir, batch in processes:
        try:
            process.wait(timeout=120 + 20 * len(batch))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for path in batch:
            pdf = os.path.join(outdir, os.path.splitext(os.path.basename(path))[0] + ".pdf")
            if os.path.exists(pdf) and os.path.getsize(pdf) > 0:
                converted.add(path)
    return converted


def opens_in_python_docx(path):
    try:
        import docx  # python-docx
    except ImportError:
        raise SystemExit("error: python-docx is not installed (pip install python-docx)")
    try:
        document = docx.Document(path)
        for paragraph in document.paragraphs:
            _ = paragraph.text
        for table in document.tables:
            for row in table.rows:
                for cell in row.cells:
                    _ = cell.text
        return None
    except Exception as error:  # noqa: BLE001 - any failure to open is the finding
        return type(error).__name__


# MARK: - Checking a folder

def first_difference(expected, actual):
    expected_lines, actual_lines = expected.split("\n"), actual.split("\n")
    for number, (a, b) in enumerate(zip(expected_lines, actual_lines)):
        if a != b:
            return f"line {number + 1} differs"
    return f"{len(expected_lines)} lines expected, {len(actual_lines)} read"


def check_folder(folder, reader, libreoffice, jobs):
    stems = sorted(name[: -len(".original.docx")] for name in os.listdir(folder)
                   if name.endswith(".original.docx"))
    work = tempfile.mkdtemp(prefix="check-docx-")
    failures = collections.defaultdict(list)
    inherited = collections.defaultdict(list)
    documents = []  # (stem, mode, path)
    reads = {}  # path to read -> (stem, mode, what, expected text or None)
    original_rejected_paths = {}
    original_views = {}  # key -> (original, original accepted): where ResumeParsing reads accept-all
    try:
        for stem in stems:
            original_path = os.path.join(folder, stem + ".original.docx")
            expected_path = os.path.join(folder, stem + ".expected.txt")
            expected = open(expected_path, encoding="utf-8").read() if os.path.exists(expected_path) else None
            original_entries = read_package(original_path)
            main = main_part_name(original_entries)
            original_xml = dict((n, d) for n, d, _ in original_entries).get(main)
            original_root = etree.fromstring(original_xml, PARSER)
            original_problems = structure_problems(original_root, numbering_ids(original_entries, main))
            for mode in ("clean", "tracked"):
                path = os.path.join(folder, f"{stem}.{mode}.docx")
                if not os.path.exists(path):
                    continue
                documents.append((stem, mode, path))
                key = f"{stem}.{mode}"
                # 1. The package.
                try:
                    entries = read_package(path)
                except (zipfile.BadZipFile, ValueError) as error:
                    failures[key].append(f"not a sound zip: {error}")
                    continue
                if [n for n, _, _ in entries] != [n for n, _, _ in original_entries]:
                    failures[key].append("entry names or order differ from the original's")
                by_name = dict((n, d) for n, d, _ in entries)
                for name, data, _ in original_entries:
                    if name != main and by_name.get(name) != data:
                        failures[key].append(f"{name} is not byte-identical")
                # 2. The main part.
                xml = by_name.get(main)
                try:
                    root = etree.fromstring(xml, PARSER)
                except (etree.XMLSyntaxError, ValueError) as error:
                    failures[key].append(f"{main} is not well-formed: {error}")
                    continue
                problems = structure_problems(root, numbering_ids(entries, main))
                for problem in sorted(problems - original_problems):
                    failures[key].append(problem)
                for problem in sorted(problems & original_problems):
                    inherited[key].append(problem)
                # 3. What it reads (the reading happens in one batch below).
                if expected is None:
                    failures[key].append("no expected text")
                    continue
                reads[path] = (key, "read back", expected)
                if mode == "tracked":
                    accepted = os.path.join(work, f"{stem}.accepted.docx")
                    rejected = os.path.join(work, f"{stem}.rejected.docx")
                    with open(accepted, "wb") as file:
                        file.write(rewritten(entries, main, resolve_revisions(xml, accept=True)))
                    with open(rejected, "wb") as file:
                        file.write(rewritten(entries, main, resolve_revisions(xml, accept=False)))
                    original_rejected = os.path.join(work, f"{stem}.original-rejected.docx")
                    with open(original_rejected, "wb") as file:
                        file.write(rewritten(original_entries, main, resolve_revisions(original_xml, accept=False)))
                    original_rejected_paths[key] = original_rejected
                    original_accepted = os.path.join(work, f"{stem}.original-accepted.docx")
                    with open(original_accepted, "wb") as file:
                        file.write(rewritten(original_entries, main, resolve_revisions(original_xml, accept=True)))
                    original_views[key] = (original_path, original_accepted)
                    reads[accepted] = (key, "accept-all", expected)
                    reads[rejected] = (key, "reject-all", None)
        views = [path for pair in original_views.values() for path in pair]
        texts = read_texts(reader, list(reads) + list(original_rejected_paths.values()) + views)
        for path, (key, what, expected) in reads.items():
            value = texts[path]
            if what == "accept-all":
                # ResumeParsing reads an original's insertions and skips its deletions, but it does not join
                # paragraphs across a deleted paragraph mark: where the original reads differently once
                # accepted, accept-all of the edit cannot read as the expected text either.
                original_text, original_accepted_text = (texts[p] for p in original_views[key])
                if original_text != original_accepted_text:
                    if value != {"text": expected}:
                        inherited[key].append("accept-all of the original reads differently from the original")
                    continue
            if expected is None:
                expected_value = texts[original_rejected_paths[key]]
                if "error" in expected_value:
                    inherited[key].append("reject-all of the original cannot be read")
                    continue
                expected = expected_value["text"]
                what = "reject-all (compared with reject-all of the original)"
            if "error" in value:
                failures[key].append(f"{what}: ResumeParsing refuses it ({value['error']})")
            elif value["text"] != expected:
                failures[key].append(f"{what}: the text is not the expected text ({first_difference(expected, value['text'])})")
        # 4. python-docx and LibreOffice.
        originals = {stem: os.path.join(folder, stem + ".original.docx") for stem in stems}
        original_python = {}
        for stem, mode, path in documents:
            error = opens_in_python_docx(path)
            if error is not None:
                if stem not in original_python:
                    original_python[stem] = opens_in_python_docx(originals[stem])
                if original_python[stem] is not None:
                    inherited[f"{stem}.{mode}"].append(f"python-docx cannot open the original either ({error})")
                else:
                    failures[f"{stem}.{mode}"].append(f"python-docx cannot open it ({error})")
        if libreoffice:
            converted = convert_with_libreoffice([path for _, _, path in documents], work, jobs, "pdf")
            missing = [(stem, mode, path) for stem, mode, path in documents if path not in converted]
            if missing:
                # Held against the edit only when LibreOffice converts the original.
                failed_stems = sorted({stem for stem, _, _ in missing})
                copies = {}
                os.makedirs(os.path.join(work, "originals"))
                for stem in failed_stems:
                    copies[stem] = os.path.join(work, "originals", stem + ".docx")
                    shutil.copyfile(originals[stem], copies[stem])
                original_converted = convert_with_libreoffice(list(copies.values()), work, 1, "originals-pdf")
                for stem, mode, path in missing:
                    if copies[stem] in original_converted:
                        failures[f"{stem}.{mode}"].append("LibreOffice does not convert it to PDF")
                    else:
                        inherited[f"{stem}.{mode}"].append("LibreOffice cannot convert the original either")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    total = len(documents)
    sound = total - len(failures)
    for key in sorted(failures):
        print(f"FAIL {key}")
        for reason in failures[key]:
            print(f"    {reason}")
    for key in sorted(set(inherited) - set(failures)):
        print(f"inherited {key}: " + "; ".join(sorted(set(inherited[key]))))
    by_mode = collections.Counter(mode for _, mode, _ in documents)
    failed_by_mode = collections.Counter(key.rsplit(".", 1)[1] for key in failures)
    percent = 100.0 * sound / total if total else 0.0
    detail = ", ".join(f"{mode} {by_mode[mode] - failed_by_mode[mode]}/{by_mode[mode]}" for mode in sorted(by_mode))
    print(f"sound: {sound}/{total} documents ({percent:.1f} %; {detail}) from {len(stems)} originals"
          + ("" if libreoffice else "; LibreOffice conversion NOT checked (--no-libreoffice)"))
    return 0 if not failures and total > 0 else 1


def main():
    arguments = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    arguments.add_argument("folder", nargs="?")
    arguments.add_argument("--corpus")
    arguments.add_argument("--keep")
    arguments.add_argument("--reader")
    arguments.add_argument("--no-libreoffice", action="store_true")
    arguments.add_argument("--jobs", type=int, default=2)
    options = arguments.parse_args()
    if (options.folder is None) == (options.corpus is None):
        arguments.error("give either FOLDER or --corpus DIR")
    reader = options.reader or build_reader()
    if options.corpus:
        folder = options.keep or tempfile.mkdtemp(prefix="check-docx-cases-")
        try:
            subprocess.run([reader, "prepare", options.corpus, folder], check=True)
            return check_folder(folder, reader, not options.no_libreoffice, max(1, options.jobs))
        finally:
            if not options.keep:
                shutil.rmtree(folder, ignore_errors=True)
    return check_folder(options.folder, reader, not options.no_libreoffice, max(1, options.jobs))


if __name__ == "__main__":
    sys.exit(main())
