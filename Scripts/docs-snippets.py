#!/usr/bin/env python3
"""Turns the ```swift blocks of Markdown files into Swift sources that the compiler checks.

Used by Scripts/check-docs.sh; run that instead. Two commands:

  docs-snippets.py targets OUT_DIR FILE...
      Writes OUT_DIR/<Target>/main.swift for every FILE that has Swift blocks and prints the target
      names, one a line. README.md's blocks, read top to bottom, are one program (it is also run);
      the blocks of any other file are compiled each in its own scope, after the file's prelude.

  docs-snippets.py fresh PACKAGE_DIR REPOSITORY MANIFEST_DOC README
      Writes a new package in PACKAGE_DIR as a user would make it: Package.swift is MANIFEST_DOC's
      manifest block (its dependency on this package pointed at the REPOSITORY folder), and the
      executable target's main.swift is README's blocks, top to bottom. Prints the target name.

Markers (HTML comments, invisible when the Markdown is rendered) say how a block is used:

  <!-- docs-check: program -->       this file's blocks are one program, like README.md's
  <!-- docs-check: skip REASON -->   the next Swift block is not compiled (say why)
  <!-- docs-check: manifest -->      the next Swift block is a complete Package.swift
  <!-- docs-check: prelude
  let jobDescription = "…"            Swift compiled just before the next block, in its scope, for
  -->                                 the names the text assumes (an API key, an upload's bytes)

Every line of generated code points back at its Markdown file and line (#sourceLocation), so a
compiler error reads `Documentation/Providers.md:42:5: error: …`.
"""

import os
import re
import sys

FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>```+|~~~+)\s*(?P<info>[^`\s]*)")
MARKER = re.compile(r"^\s*<!--\s*docs-check:\s*(?P<word>[a-z-]+)(?P<rest>.*?)\s*(?P<end>-->)?\s*$")
IMPORT = re.compile(r"^\s*(@[A-Za-z_]+(\([^)]*\))?\s+)*import\s+[A-Za-z_][A-Za-z0-9_.]*\s*$")
BINDING = re.compile(r"^(?:let|var)\s+([A-Za-z_][A-Za-z0-9_]*)\b")


class Block:
    def __init__(self, path, line, lines, role):
        self.path = path  # the Markdown file, relative to the repository
        self.line = line  # 1-based line of the block's first code line
        self.lines = lines
        self.role = role  # "code", "skip", "manifest" or "prelude"


def fail(message):
    print(f"docs-snippets: {message}", file=sys.stderr)
    sys.exit(1)


def read_blocks(path):
    """The file's Swift blocks and preludes in order, and whether it declares itself a program."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read().split("\n")
    blocks = []
    program = False
    pending = None  # the role a marker gave to the next Swift block
    index = 0
    while index < len(text):
        line = text[index]
        marker = MARKER.match(line)
        if marker:
            word = marker.group("word")
            if word == "prelude":
                if marker.group("end"):
                    fail(f"{path}:{index + 1}: a prelude's code goes on the lines after `docs-check: prelude`")
                start = index + 1
                end = start
                while end < len(text) and text[end].strip() != "-->":
                    end += 1
                if end == len(text):
                    fail(f"{path}:{index + 1}: the prelude has no closing `-->` line")
                blocks.append(Block(path, start + 1, text[start:end], "prelude"))
                index = end + 1
                continue
            if not marker.group("end"):
                fail(f"{path}:{index + 1}: a `docs-check: {word}` marker is one line ending in `-->`")
            if word == "program":
                program = True
            elif word in ("skip", "manifest"):
                if word == "skip" and not marker.group("rest").strip():
                    fail(f"{path}:{index + 1}: say why the block is skipped: `<!-- docs-check: skip REASON -->`")
                pending = word
            else:
                fail(f"{path}:{index + 1}: unknown marker `docs-check: {word}`")
            index += 1
            continue
        fence = FENCE.match(line)
        if not fence:
            index += 1
            continue
        indent = len(fence.group("indent"))
        closing = re.compile(r"^\s*" + re.escape(fence.group("fence")[0]) + "{" + str(len(fence.group("fence"))) + r",}\s*$")
        start = index + 1
        end = start
        while end < len(text) and not closing.match(text[end]):
            end += 1
        if end == len(text):
            fail(f"{path}:{index + 1}: a code block is never closed")
        if fence.group("info").lower() == "swift":
            lines = [l[indent:] if l[:indent].strip() == "" else l for l in text[start:end]]
            blocks.append(Block(path, start + 1, lines, pending or "code"))
            pending = None
        elif pending:
            fail(f"{path}:{index + 1}: the `docs-check: {pending}` marker must be followed by a ```swift block")
        index = end + 1
    if pending:
        fail(f"{path}: a `docs-check: {pending}` marker is not followed by a ```swift block")
    return blocks, program


def target_name(path):
    stem = os.path.splitext(os.path.basename(path))[0]
    words = re.split(r"[^A-Za-z0-9]+", stem)
    name = "".join(word[:1].upper() + word[1:].lower() if word.isupper() else word[:1].upper() + word[1:] for word in words)
    return "Docs" + name


def located(block, lines=None):
    """A block's lines preceded by a #sourceLocation pointing at its Markdown line."""
    path = block.path.replace("\\", "/")
    return [f'#sourceLocation(file: "{path}", line: {block.line})'] + (block.lines if lines is None else lines) + ["#sourceLocation()"]


def program_source(path, blocks):
    """The blocks read top to bottom, as one main.swift (imports stay where the text has them)."""
    out = [f"// Generated by Scripts/docs-snippets.py from {path}: its Swift blocks, top to bottom. Do not edit."]
    for block in blocks:
        if block.role in ("code", "prelude"):
            out += located(block)
    return "\n".join(out) + "\n"


def scoped_source(path, blocks):
    """Each block in its own function (compiled, never called), after the prelude just above it."""
    imports = []
    for block in blocks:
        if block.role not in ("code", "prelude"):
            continue
        for line in block.lines:
            if IMPORT.match(line) and line.strip() not in imports:
                imports.append(line.strip())
    out = [f"// Generated by Scripts/docs-snippets.py from {path}: each Swift block in its own scope. Do not edit."]
    out += imports
    number = 0
    prelude = None
    for block in blocks:
        body = ["" if IMPORT.match(line) else line for line in block.lines]
        if block.role == "prelude":
            prelude = (block, body)
        elif block.role == "code":
            number += 1
            out.append(f"@MainActor func block{number}() async throws {{")
            if prelude:
                out += located(*prelude)
                prelude = None
            out += located(block, body)
            # A top-level `let` or `var` of a block that the text never reads again would warn.
            names = [m.group(1) for m in (BINDING.match(line) for line in body) if m]
            out += [f"    _ = {name}" for name in names]
            out.append("}")
    if prelude:
        fail(f"{path}:{prelude[0].line}: a prelude must be followed by the Swift block it prepares")
    return "\n".join(out) + "\n"


def command_targets(out_dir, files):
    for path in files:
        blocks, program = read_blocks(path)
        if not any(block.role == "code" for block in blocks):
            continue
        if any(block.role == "manifest" for block in blocks) and program:
            fail(f"{path}: a program's file cannot also hold the manifest")
        name = target_name(path)
        is_program = program or os.path.basename(path) == "README.md"
        source = program_source(path, blocks) if is_program else scoped_source(path, blocks)
        os.makedirs(os.path.join(out_dir, name), exist_ok=True)
        with open(os.path.join(out_dir, name, "main.swift"), "w", encoding="utf-8") as handle:
            handle.write(source)
        print(name)


def command_fresh(package_dir, repository, manifest_doc, readme):
    manifests = [block for block in read_blocks(manifest_doc)[0] if block.role == "manifest"]
    if len(manifests) != 1:
        fail(f"{manifest_doc}: expected one block marked `<!-- docs-check: manifest -->`, found {len(manifests)}")
    manifest = "\n".join(manifests[0].lines) + "\n"
    # The guide's dependency names the repository by URL; a local clone is a path dependency whose
    # folder may have any name, hence `name:` (as the guide says).
    requirement = r'(?:branch:\s*"[^"]*"|from:\s*"[^"]*"|exact:\s*"[^"]*"|\.upToNext(?:Minor|Major)\(from:\s*"[^"]*"\))'
    pattern = re.compile(r'\.package\(\s*url:\s*"[^"]*/swift-resume-optimizer(?:\.git)?"\s*,\s*' + requirement + r'\s*\)')
    if len(pattern.findall(manifest)) != 1:
        fail(f'{manifest_doc}: the manifest must depend on `.package(url: ".../swift-resume-optimizer", branch: "main")` once')
    manifest = pattern.sub(lambda _: f".package(name: \"swift-resume-optimizer\", path: \"{os.path.abspath(repository)}\")", manifest)
    executables = re.findall(r'\.executableTarget\(\s*name:\s*"([^"]+)"', manifest)
    if len(executables) != 1:
        fail(f"{manifest_doc}: the manifest must declare one executable target, found {len(executables)}")
    blocks, _ = read_blocks(readme)
    if any(block.role == "prelude" for block in blocks):
        fail(f"{readme}: the README's blocks alone form the program; it has no prelude")
    os.makedirs(os.path.join(package_dir, "Sources", executables[0]), exist_ok=True)
    with open(os.path.join(package_dir, "Package.swift"), "w", encoding="utf-8") as handle:
        handle.write(manifest)
    source = "\n".join(line for block in blocks if block.role == "code" for line in block.lines) + "\n"
    with open(os.path.join(package_dir, "Sources", executables[0], "main.swift"), "w", encoding="utf-8") as handle:
        handle.write(source)
    print(executables[0])


def main(arguments):
    if len(arguments) >= 3 and arguments[0] == "targets":
        command_targets(arguments[1], arguments[2:])
    elif len(arguments) == 5 and arguments[0] == "fresh":
        command_fresh(*arguments[1:])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
