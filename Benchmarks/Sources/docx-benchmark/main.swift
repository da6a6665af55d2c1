import BenchmarkSupport
import DocxFloor
import Foundation
import ResumeParsing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Times editing a Word resume in place: 10 paragraphs of a two-page resume changed and the document
// written, by DocxEditor (parse, align, rewrite the runs, write the package, read it back) and by
// python-docx (open, set the text of the same paragraphs, save), side by side in one run; then the peak
// memory above the baseline while DocxEditor edits a 10 MiB document.
//
//   swift run -c release --package-path Benchmarks docx-benchmark [--seconds S] [--python PATH]
//
// python-docx runs in its own process and times itself (interpreter start-up and imports excluded);
// the sides take turns in bursts of a tenth of a second, so that a slow moment of a shared machine weighs
// on all alike.

var seconds = 6.0
var python = "python3"
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--seconds": seconds = arguments.next().flatMap(Double.init) ?? seconds
    case "--python": python = arguments.next() ?? python
    default:
        print("usage: docx-benchmark [--seconds S] [--python PATH]")
        exit(argument == "--help" ? 0 : 2)
    }
}

let work = FileManager.default.temporaryDirectory.appendingPathComponent("docx-benchmark-\(getpid())")
try? FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)

// MARK: - Memory for a 10 MiB document (first, while the process is small)

let memoryLine = measureLargeDocument()

/// Edits 10 paragraphs of a generated 10 MiB resume (text up to 90% of the parser's text limit, a stored
/// picture for the rest, as the parsing benchmark's) and returns the peak resident memory above the
/// baseline taken with the file already in memory.
@MainActor
func measureLargeDocument() -> String {
    let limits = ResumeParser.Configuration()
    let size = min(10 * 1_048_576, limits.maximumInputSize) - 16 * 1024
    var xmlBytes = limits.maximumTextLength * 9 / 10 * 115 / 100
    var pictureBytes = size - xmlBytes / 2
    let url = work.appendingPathComponent("large.docx")
    var data = Data()
    for _ in 0..<4 {
        guard docx_floor_write_generated_docx(url.path, xmlBytes, pictureBytes, 42) == 0,
            let written = try? Data(contentsOf: url)
        else { return "memory: could not generate the document" }
        data = written
        if data.count <= size, data.count > size - size / 50 { break }
        pictureBytes += size - size / 100 - data.count
    }
    xmlBytes = max(xmlBytes, 0)
    let parser = ResumeParser(configuration: limits)
    guard let document = try? parser.parse(data) else { return "memory: the generated document is refused" }
    // Ten paragraphs spread over the document each get a word replaced.
    var lines = document.lines.map(\.text)
    let step = max(1, lines.count / 10)
    for index in stride(from: 0, to: min(lines.count, step * 10), by: step) {
        lines[index] = "Improved " + lines[index].split(separator: " ").dropFirst().joined(separator: " ")
    }
    let newText = lines.joined(separator: "\n")
    let output = work.appendingPathComponent("large-edited.docx")
    let baseline = Memory.currentResidentBytes() ?? Memory.peakResidentBytes()
    let resetWorked = Memory.resetPeak()
    let start = ContinuousClock.now
    let outcome: String
    do {
        let result = try DocxEditor(parser: parser).edit(data, newText: newText)
        try save(result.data, to: output)
        outcome = String(
            format: "%d paragraphs changed in %.2f s",
            result.report.changedParagraphs,
            (ContinuousClock.now - start).seconds
        )
    } catch {
        outcome = "failed (\(error))"
    }
    let peak = Memory.peakResidentBytes()
    return "memory, \(mebibytes(data.count)) .docx (\(mebibytes(xmlBytes)) of XML"
        + " + \(mebibytes(pictureBytes)) picture): "
        + "\(outcome); peak \(mebibytes(peak - baseline)) above the baseline (\(mebibytes(baseline)))"
        + (resetWorked ? "" : " (peak counted from process start)") + "; target under 64 MiB"
}

// MARK: - The two-page resume and its edits

let resume = work.appendingPathComponent("resume.docx")
let editsFile = work.appendingPathComponent("edits.json")
guard run(python, ["-c", PythonScripts.generate, resume.path, editsFile.path]).status == 0,
    let editsData = try? Data(contentsOf: editsFile),
    let edits = try? JSONDecoder().decode([Int: [String]].self, from: editsData),
    let original = try? Data(contentsOf: resume)
else {
    print("error: python-docx could not generate the resume (pip install python-docx)")
    exit(1)
}
let parser = ResumeParser()
let document: ResumeDocument
do {
    document = try parser.parse(original)
} catch {
    print("error: the generated resume is refused: \(error)")
    exit(1)
}
// The new text: the document's lines with the 10 paragraphs' old text replaced by the new.
let replacements = Dictionary(uniqueKeysWithValues: edits.values.map { ($0[0], $0[1]) })
let newText = document.lines.map { line -> String in
    guard line.sources.count == 1, let new = replacements[line.sources[0].text] else { return line.text }
    return String(line.text.dropLast(line.sources[0].text.count)) + new
}.joined(separator: "\n")
let editor = DocxEditor(parser: parser)
let check = try editor.edit(original, newText: newText)
guard check.report.changedParagraphs == 10, check.report.refusals.isEmpty, check.document.text == newText else {
    print(
        "error: DocxEditor changed \(check.report.changedParagraphs) paragraphs with "
            + "\(check.report.refusals.count) refusals; the benchmark expects 10 and none"
    )
    exit(1)
}

// MARK: - Timing, in turns of short bursts

/// DocxEditor: read the file, edit, write the result; the time of one edit.
@MainActor
func swiftEdit(tracked: Bool) throws -> Double {
    let output = work.appendingPathComponent(tracked ? "edited-tracked.docx" : "edited.docx")
    let options = DocxEditor.Options(trackChanges: tracked)
    let start = ContinuousClock.now
    let bytes = try Data(contentsOf: resume)
    let result = try editor.edit(bytes, newText: newText, options: options)
    try save(result.data, to: output)
    return (ContinuousClock.now - start).seconds
}

// python-docx runs in one process for the whole run, asked over a pipe for a few edits at a time, which
// it times itself. The three sides (python-docx, DocxEditor clean, DocxEditor tracked) take turns in short
// bursts of about a tenth of a second each, so that a slow moment of a shared machine weighs on all three
// alike, while each side runs its edits one after the other as a loop of edits would.
guard let pythonSide = PythonEditor(python: python, resume: resume, edits: editsFile, work: work) else {
    print("error: the python-docx side could not start")
    exit(1)
}
var swiftTimes: [Double] = []
var trackedTimes: [Double] = []
var pythonTimes: [Double] = []
let burst = Duration.milliseconds(100)
/// Edits with DocxEditor for about `burst`; the time of each.
@MainActor
func swiftBurst(tracked: Bool) throws -> [Double] {
    var times: [Double] = []
    let end = ContinuousClock.now + burst
    repeat { times.append(try swiftEdit(tracked: tracked)) } while ContinuousClock.now < end
    return times
}
// One burst of each, not counted, then bursts in turns.
_ = pythonSide.edit(count: 2)
_ = try swiftBurst(tracked: false)
_ = try swiftBurst(tracked: true)
var pythonBurst = 3
let end = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
repeat {
    guard let times = pythonSide.edit(count: pythonBurst) else {
        print("error: the python-docx side failed")
        exit(1)
    }
    pythonTimes += times
    // As many python-docx edits as fill a burst at the pace seen so far.
    pythonBurst = max(1, Int(burst / .seconds(max(median(times), 0.001))))
    swiftTimes += try swiftBurst(tracked: false)
    trackedTimes += try swiftBurst(tracked: true)
} while ContinuousClock.now < end
pythonSide.close()

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
}

let pythonMedian = median(pythonTimes)
let swiftMedian = median(swiftTimes)
let trackedMedian = median(trackedTimes)
let words = document.text.split(whereSeparator: \.isWhitespace).count
print("docx-benchmark: 10 paragraphs changed in a two-page resume (\(words) words, \(original.count) bytes), written")
print(
    String(
        format: "  DocxEditor, clean edits:      %7.2f ms  (median of %d; parse, align, rewrite, write, read back)",
        swiftMedian * 1000,
        swiftTimes.count
    )
)
print(
    String(
        format: "  DocxEditor, tracked changes:  %7.2f ms  (median of %d)",
        trackedMedian * 1000,
        trackedTimes.count
    )
)
print(
    String(
        format: "  python-docx %@:          %7.2f ms  (median of %d; open, set the paragraphs' text, save)",
        PythonScripts.version(python),
        pythonMedian * 1000,
        pythonTimes.count
    )
)
print(
    String(
        format: "  ratio: DocxEditor is %.1fx python-docx (clean), %.1fx (tracked); target at least 5x",
        pythonMedian / swiftMedian,
        pythonMedian / trackedMedian
    )
)
print(memoryLine)
try? FileManager.default.removeItem(at: work)

// MARK: - Helpers

/// Writes a file as python-docx's `save` does: open, write, close. (`Data.write(to:)` also calls `fsync`,
/// which on a busy disk costs more than the whole edit and is no part of what is compared.)
func save(_ data: Data, to url: URL) throws {
    let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
    defer { close(descriptor) }
    let written = data.withUnsafeBytes { buffer in
        buffer.baseAddress.map { write(descriptor, $0, buffer.count) } ?? 0
    }
    guard written == data.count else { throw CocoaError(.fileWriteUnknown) }
}

func run(_ executable: String, _ arguments: [String]) -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [executable] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    do {
        try process.run()
    } catch {
        return (-1, "")
    }
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

enum PythonScripts {
    static func version(_ python: String) -> String {
        let output = run(python, ["-c", "import importlib.metadata as m; print(m.version('python-docx'))"]).output
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Writes a two-page resume with python-docx (argv[1]) and the 10 edits, as JSON (argv[2]):
    /// paragraph index among `document.paragraphs` -> [old text, new text].
    static let generate = #"""
        import json, sys
        import docx
        from docx.shared import Pt

        document = docx.Document()
        document.add_heading("Jordan Avery Example", level=0)
        contact = document.add_paragraph()
        contact.add_run("Senior Backend Engineer").bold = True
        contact.add_run(" | Berlin | jordan@example.com | +49 30 1234 5678 | example.dev")
        document.add_heading("Summary", level=1)
        document.add_paragraph(
            "Backend engineer with ten years of experience building payment, search and data platforms in Go, "
            "Kotlin and Python; leads small teams, owns services in production and cares about reliability.")
        jobs = [
            ("Quillpoint", "Staff Engineer", "2021 to present"),
            ("Northwind Payments", "Senior Software Engineer", "2018 to 2021"),
            ("Contoso Analytics", "Software Engineer", "2015 to 2018"),
            ("Fabrikam Labs", "Junior Developer", "2013 to 2015"),
        ]
        verbs = ["Designed", "Built", "Led", "Migrated", "Reduced", "Introduced", "Mentored", "Automated"]
        things = [
            "the ledger service that settles 2 million card payments a day on PostgreSQL and Kafka",
            "a search API in Go serving 40,000 requests per second with a p99 under 80 ms",
            "the move of twelve services from virtual machines to Kubernetes with Helm and Terraform",
            "cloud spend by 30 percent through right-sizing, spot instances and storage tiering",
            "tracing with OpenTelemetry and Grafana dashboards that cut incident resolution time in half",
            "an on-call rotation and incident reviews adopted by four teams",
            "five engineers, two of whom became team leads",
            "release pipelines in GitHub Actions, from a weekly release to twenty deploys a day",
        ]
        document.add_heading("Experience", level=1)
        for number, (company, title, dates) in enumerate(jobs):
            line = document.add_paragraph()
            line.add_run(company).bold = True
            line.add_run(", " + title + " ")
            line.add_run(dates).italic = True
            for offset in range(6):
                verb = verbs[(number + offset) % len(verbs)]
                thing = things[(number * 3 + offset) % len(things)]
                item = document.add_paragraph(style="List Bullet")
                item.add_run(verb + " ")
                item.add_run(thing).font.size = Pt(10.5)
                item.add_run(", working with product and design.")
        document.add_heading("Skills", level=1)
        table = document.add_table(rows=3, cols=2)
        for row, (kind, value) in enumerate([
            ("Languages", "Go, Kotlin, Python, SQL, TypeScript"),
            ("Infrastructure", "Kubernetes, Terraform, AWS, GCP, Kafka, PostgreSQL"),
            ("Practices", "SRE, incident response, code review, mentoring"),
        ]):
            table.cell(row, 0).text = kind
            table.cell(row, 1).text = value
        document.add_heading("Education", level=1)
        document.add_paragraph("M.Sc. Computer Science, Technical University of Berlin, 2013")
        document.add_heading("Projects", level=1)
        for offset in range(6):
            document.add_paragraph(
                "Open-source maintainer of a " + ["rate limiter", "schema migration tool", "job queue",
                "feature flag service", "log shipper", "load tester"][offset] + " used by hundreds of teams; "
                "wrote the documentation, reviewed contributions and ran the releases for four years.",
                style="List Bullet")
        document.save(sys.argv[1])

        # Ten bullet paragraphs spread over the resume get a few words changed.
        bullets = [i for i, p in enumerate(document.paragraphs) if p.style.name == "List Bullet"]
        chosen = bullets[::3][:10]
        edits = {}
        for index in chosen:
            old = document.paragraphs[index].text
            new = old.replace(", working with product and design.", " with product, design and data science.")
            new = new.replace("used by hundreds of teams", "used by over a thousand teams")
            edits[index] = [old, "Owned and " + new[0].lower() + new[1:]]
        json.dump(edits, open(sys.argv[2], "w"))
        """#

    /// Reads a count at a time from standard input; that many times, opens argv[1] with python-docx, sets the
    /// text of the paragraphs of argv[2] (the first run takes the new text, the others go, as python-docx
    /// users do to keep a paragraph's formatting) and saves to argv[3]; then prints each time in seconds,
    /// a line each.
    static let edit = #"""
        import json, sys, time
        import docx

        path, edits_path, output = sys.argv[1], sys.argv[2], sys.argv[3]
        edits = {int(key): value[1] for key, value in json.load(open(edits_path)).items()}
        for line in sys.stdin:
            times = []
            for _ in range(int(line)):
                start = time.perf_counter()
                document = docx.Document(path)
                paragraphs = document.paragraphs
                for index, text in edits.items():
                    runs = paragraphs[index].runs
                    runs[0].text = text
                    for run in runs[1:]:
                        run._r.getparent().remove(run._r)
                document.save(output)
                times.append(time.perf_counter() - start)
            print("\n".join(str(t) for t in times), flush=True)
        """#
}

/// The python-docx side: one process, asked for one edit at a time over a pipe.
final class PythonEditor {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffered: [UInt8] = []

    init?(python: String, resume: URL, edits: URL, work: URL) {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            python, "-c", PythonScripts.edit, resume.path, edits.path, work.appendingPathComponent("py.docx").path,
        ]
        process.standardInput = input
        process.standardOutput = output
        do {
            try process.run()
        } catch {
            return nil
        }
    }

    /// The times of `count` edits in seconds, as python-docx measured them; `nil` when the process failed.
    func edit(count: Int) -> [Double]? {
        input.fileHandleForWriting.write(Data("\(count)\n".utf8))
        var times: [Double] = []
        while times.count < count {
            if let newline = buffered.firstIndex(of: 0x0A) {
                guard let time = Double(String(decoding: buffered[..<newline], as: UTF8.self)) else { return nil }
                buffered.removeSubrange(...newline)
                times.append(time)
                continue
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { return nil }
            buffered.append(contentsOf: chunk)
        }
        return times
    }

    func close() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
