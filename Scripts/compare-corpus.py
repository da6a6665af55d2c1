#!/usr/bin/env python3
"""Compare `resume-optimizer extract` with pandoc's plain text over a folder of Word files.

Usage:
    Scripts/compare-corpus.py [CORPUS_DIR] [--reference DIR] [--cli PATH] [--verbose]

CORPUS_DIR defaults to ../shared/corpus/docx relative to the repository; the reference folder
defaults to CORPUS_DIR/../docx-reference, which holds `<file>.txt` as written by
`pandoc -t plain --wrap=none`. Every file of the corpus (except .tsv and .md) is extracted in one
`extract --output-dir` run, then for each file the script prints:

- the word similarity: the share of the reference's words found, in order, in our output
  (longest common subsequence of the two word lists, case-folded, punctuation ignored);
- our extra words: words of our output outside that common subsequence (headers, footers,
  text boxes and list markers that pandoc leaves out are counted here);
- or the error code when the file was refused, or the signal when the command crashed on it.

The last line is a summary. The exit status is 1 when the command crashed or hung on any file,
or refused a file in which pandoc found words; 0 otherwise.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
WORD = re.compile(r"\w+", re.UNICODE)
# The command writes one line per failed file on stderr: "error: PATH: MESSAGE (CODE)".
FAILURE_LINE = re.compile(r"^error: (?P<rest>.*) \((?P<code>[A-Za-z0-9_.-]+)\)$")
PER_FILE_TIMEOUT_SECONDS = 60


@dataclass
class Outcome:
    name: str
    status: str = "missing"  # ok | refused | crash | timeout | missing
    code: str = ""
    message: str = ""
    similarity: float | None = None
    reference_words: int = 0
    our_words: int = 0
    extra_words: int = 0
    kind: str = ""
    notes: list[str] = field(default_factory=list)


def words(text: str) -> list[str]:
    return WORD.findall(text.casefold())


def common_subsequence_length(reference: list[str], ours: list[str]) -> int:
    """Length of the longest common subsequence, bit-parallel (Hyyrö 2004) on Python integers."""
    if not reference or not ours:
        return 0
    masks: dict[str, int] = {}
    for index, word in enumerate(reference):
        masks[word] = masks.get(word, 0) | (1 << index)
    full = (1 << len(reference)) - 1
    row = full
    for word in ours:
        match = masks.get(word)
        if match is None:
            continue
        carry = row & match
        row = ((row + carry) | (row - carry)) & full
    return len(reference) - bin(row).count("1")


def build_cli() -> Path:
    print("Building resume-optimizer (release)…", file=sys.stderr)
    package = REPOSITORY / "Examples"
    subprocess.run(
        ["swift", "build", "-c", "release", "--package-path", str(package), "--product", "resume-optimizer"],
        check=True,
        stdout=sys.stderr,
    )
    bin_path = subprocess.run(
        ["swift", "build", "-c", "release", "--package-path", str(package), "--show-bin-path"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return Path(bin_path) / "resume-optimizer"


def read_manifest(corpus: Path) -> dict[str, str]:
    manifest = corpus / "MANIFEST.tsv"
    kinds: dict[str, str] = {}
    if not manifest.exists():
        return kinds
    lines = manifest.read_text(encoding="utf-8").splitlines()
    if not lines:
        return kinds
    header = lines[0].split("\t")
    if "file" not in header or "kind" not in header:
        return kinds
    file_column, kind_column = header.index("file"), header.index("kind")
    for line in lines[1:]:
        cells = line.split("\t")
        if len(cells) > max(file_column, kind_column):
            kinds[cells[file_column]] = cells[kind_column]
    return kinds


def output_name(path: Path) -> str:
    """The name `extract --output-dir` gives a file's text: its name without extension, plus .txt."""
    return path.stem + ".txt"


def attribute_failures(stderr: str, files: list[Path], outcomes: dict[str, Outcome]) -> None:
    by_path = {str(path): path.name for path in files}
    for line in stderr.splitlines():
        match = FAILURE_LINE.match(line)
        if not match:
            continue
        rest = match.group("rest")
        # The path comes first; pick the longest known path that prefixes the line.
        candidates = [p for p in by_path if rest.startswith(p + ": ")]
        if not candidates:
            continue
        path = max(candidates, key=len)
        outcome = outcomes[by_path[path]]
        outcome.status = "refused"
        outcome.code = match.group("code")
        outcome.message = rest[len(path) + 2 :]


def run_alone(cli: Path, path: Path, output_dir: Path, outcome: Outcome) -> None:
    """Runs the command on one file to tell a crash on that file from a crash on another."""
    try:
        process = subprocess.run(
            [str(cli), "extract", "--output-dir", str(output_dir), str(path)],
            capture_output=True,
            text=True,
            timeout=PER_FILE_TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired:
        outcome.status = "timeout"
        outcome.code = f">{PER_FILE_TIMEOUT_SECONDS}s"
        return
    if process.returncode < 0:
        outcome.status = "crash"
        outcome.code = f"signal {-process.returncode}"
        return
    if process.returncode not in (0, 1):
        outcome.status = "crash"
        outcome.code = f"exit {process.returncode}"
        outcome.message = process.stderr.strip().splitlines()[-1] if process.stderr.strip() else ""
        return
    attribute_failures(process.stderr, [path], {path.name: outcome})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", default=str(REPOSITORY.parent / "shared" / "corpus" / "docx"))
    parser.add_argument("--reference", help="folder of pandoc's <file>.txt (default: CORPUS/../docx-reference)")
    parser.add_argument("--cli", help="path of a built resume-optimizer (default: build it in release mode)")
    parser.add_argument("--verbose", action="store_true", help="also print the error message of refused files")
    arguments = parser.parse_args()

    corpus = Path(arguments.corpus).resolve()
    if not corpus.is_dir():
        print(f"error: no corpus folder at {corpus}", file=sys.stderr)
        return 2
    reference = Path(arguments.reference).resolve() if arguments.reference else corpus.parent / "docx-reference"
    cli = Path(arguments.cli).resolve() if arguments.cli else build_cli()
    if not os.access(cli, os.X_OK):
        print(f"error: {cli} is not an executable", file=sys.stderr)
        return 2

    files = sorted(
        path for path in corpus.iterdir() if path.is_file() and path.suffix.lower() not in (".tsv", ".md")
    )
    kinds = read_manifest(corpus)
    outcomes = {path.name: Outcome(name=path.name, kind=kinds.get(path.name, "")) for path in files}

    with tempfile.TemporaryDirectory(prefix="compare-corpus-") as scratch:
        output_dir = Path(scratch) / "out"
        output_dir.mkdir()
        try:
            batch = subprocess.run(
                [str(cli), "extract", "--output-dir", str(output_dir), *map(str, files)],
                capture_output=True,
                text=True,
                timeout=PER_FILE_TIMEOUT_SECONDS * 5,
            )
            batch_status: int | None = batch.returncode
            batch_stderr = batch.stderr
        except subprocess.TimeoutExpired as timeout:
            batch_status = None
            stderr = timeout.stderr or b""
            batch_stderr = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
        attribute_failures(batch_stderr, files, outcomes)
        for path in files:
            if (output_dir / output_name(path)).exists() and outcomes[path.name].status == "missing":
                outcomes[path.name].status = "ok"
        if batch_status not in (0, 1):
            # The process died (signal, hang or unexpected status): find the file(s) responsible.
            print(f"note: the batch run ended with status {batch_status}; retrying unfinished files one by one",
                  file=sys.stderr)
            for path in files:
                outcome = outcomes[path.name]
                if outcome.status == "missing":
                    run_alone(cli, path, output_dir, outcome)
                    if outcome.status == "missing" and (output_dir / output_name(path)).exists():
                        outcome.status = "ok"

        for path in files:
            outcome = outcomes[path.name]
            if outcome.status != "ok":
                continue
            ours = words((output_dir / output_name(path)).read_text(encoding="utf-8", errors="replace"))
            outcome.our_words = len(ours)
            reference_file = reference / (path.name + ".txt")
            if not reference_file.exists():
                outcome.notes.append("no pandoc reference")
                continue
            expected = words(reference_file.read_text(encoding="utf-8", errors="replace"))
            common = common_subsequence_length(expected, ours)
            outcome.reference_words = len(expected)
            outcome.similarity = common / len(expected) if expected else 1.0
            outcome.extra_words = len(ours) - common

    print(f"{'words':>7} {'extra':>7}  {'status':<8} file")
    for path in files:
        outcome = outcomes[path.name]
        similarity = f"{outcome.similarity * 100:6.1f}%" if outcome.similarity is not None else "      -"
        extra = f"{outcome.extra_words:+7d}" if outcome.similarity is not None else "      -"
        detail = outcome.code
        if arguments.verbose and outcome.message:
            detail += f": {outcome.message}"
        if outcome.kind and outcome.kind not in ("zip",):
            outcome.notes.append(f"kind {outcome.kind}")
        if outcome.notes:
            detail = (detail + "  " if detail else "") + "[" + ", ".join(outcome.notes) + "]"
        print(f"{similarity} {extra}  {outcome.status:<8} {outcome.name}  {detail}".rstrip())

    compared = [o for o in outcomes.values() if o.similarity is not None]
    scores = [o.similarity for o in compared]
    refused = [o for o in outcomes.values() if o.status == "refused"]
    broken = [o for o in outcomes.values() if o.status in ("crash", "timeout", "missing")]
    # A refusal only counts against us when pandoc found words in the file (an empty document is
    # rightly refused with noText).
    refused_readable = [
        o
        for o in refused
        if (reference / (o.name + ".txt")).exists()
        and words((reference / (o.name + ".txt")).read_text(encoding="utf-8", errors="replace"))
    ]
    codes: dict[str, int] = {}
    for outcome in refused:
        codes[outcome.code] = codes.get(outcome.code, 0) + 1
    summary = f"Summary: {len(files)} files; {len(compared)} compared with pandoc"
    if scores:
        summary += (
            f": mean word similarity {statistics.mean(scores) * 100:.1f}%"
            f" (median {statistics.median(scores) * 100:.1f}%, min {min(scores) * 100:.1f}%),"
            f" {sum(s >= 0.95 for s in scores)} at 95% or more,"
            f" extra words {sum(o.extra_words for o in compared)}"
            f" for {sum(o.reference_words for o in compared)} reference words"
        )
    summary += f"; {len(refused)} refused"
    if codes:
        summary += " (" + ", ".join(f"{code} {count}" for code, count in sorted(codes.items())) + ")"
    summary += f", {len(refused_readable)} of them with words in pandoc's text"
    summary += f"; {len(broken)} crashed, hung or wrote nothing"
    print(summary)
    return 1 if broken or refused_readable else 0


if __name__ == "__main__":
    sys.exit(main())
