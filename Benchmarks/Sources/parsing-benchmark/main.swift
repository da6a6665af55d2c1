// Extraction speed and memory of ResumeParsing, side by side with a C floor.
//
//   swift run -c release --package-path Benchmarks parsing-benchmark DIR [--seconds S] [--cli PATH | --no-cli]
//
// Every .docx of DIR is loaded into memory; files that the floor or our parser cannot read are
// skipped (and counted), so both extract exactly the same files. Passes of the floor and of the
// parser alternate until each has run for S seconds (default 5), on one thread. Then the parser runs
// again on all cores, `resume-optimizer extract --output-dir` is timed over the same files in one
// process, and the memory figure for a generated 10 MiB document is printed.
import BenchmarkSupport
import Foundation
import ResumeParsing

// MARK: - Arguments

var arguments = Array(CommandLine.arguments.dropFirst())
var secondsPerExtractor = 5.0
var commandPath: String?
var timeCommand = true
var folderPath: String?
while !arguments.isEmpty {
    let argument = arguments.removeFirst()
    switch argument {
    case "--seconds":
        guard let value = arguments.first.flatMap(Double.init), value > 0 else {
            print("error: --seconds needs a positive number")
            exit(2)
        }
        secondsPerExtractor = value
        arguments.removeFirst()
    case "--cli":
        guard let value = arguments.first else {
            print("error: --cli needs the path of resume-optimizer")
            exit(2)
        }
        commandPath = value
        arguments.removeFirst()
    case "--no-cli":
        timeCommand = false
    case "-h", "--help":
        print("usage: parsing-benchmark DIR [--seconds S] [--cli PATH | --no-cli]")
        exit(0)
    default:
        folderPath = argument
    }
}
guard let folderPath else {
    print("usage: parsing-benchmark DIR [--seconds S] [--cli PATH | --no-cli]")
    exit(2)
}

// MARK: - Memory for a 10 MiB document (first, while the process is small)

let defaultLimits = ResumeParser.Configuration()
let documentSize = min(10 * 1_048_576, defaultLimits.maximumInputSize) - 16 * 1024
// A long resume with a photo: text up to 90% of the text limit, a stored picture for the rest.
let textXMLBytes = defaultLimits.maximumTextLength * 9 / 10 * 115 / 100
let memoryWithPicture = measureLargeDocument(
    fileBytes: documentSize,
    xmlBytes: textXMLBytes,
    pictureBytes: documentSize - textXMLBytes / 2,
    configuration: defaultLimits
)
// The worst case: 10 MiB of compressed text, with the text limit raised so that it is read.
var raisedLimits = defaultLimits
raisedLimits.maximumTextLength = defaultLimits.maximumInflatedPartSize
let memoryAllText = measureLargeDocument(
    fileBytes: documentSize,
    xmlBytes: documentSize * 18 / 10,
    pictureBytes: 0,
    configuration: raisedLimits
)

/// Generates a .docx of about `fileBytes` (paragraphs of random words, which compress like real
/// text, plus a stored picture of `pictureBytes`) and measures the peak resident memory above the
/// baseline while a parser with `configuration` extracts it. The sizes are adjusted until the file
/// is within 2% below `fileBytes`.
func measureLargeDocument(
    fileBytes: Int,
    xmlBytes: Int,
    pictureBytes: Int,
    configuration: ResumeParser.Configuration
) -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("parsing-benchmark-\(getpid()).docx")
    defer { try? FileManager.default.removeItem(at: url) }
    var xmlBytes = xmlBytes
    var pictureBytes = pictureBytes
    var data = Data()
    for _ in 0..<4 {
        guard FloorExtractor.writeGeneratedDocument(to: url, xmlBytes: xmlBytes, pictureBytes: pictureBytes),
            let written = try? Data(contentsOf: url)
        else { return "could not generate the document" }
        data = written
        if data.count <= fileBytes, data.count > fileBytes - fileBytes / 50 { break }
        if pictureBytes > 0 {
            pictureBytes += fileBytes - fileBytes / 100 - data.count
        } else {
            xmlBytes = Int(Double(xmlBytes) * Double(fileBytes - fileBytes / 100) / Double(data.count))
        }
    }
    let parser = ResumeParser(configuration: configuration)
    let baseline = Memory.currentResidentBytes() ?? Memory.peakResidentBytes()
    let resetWorked = Memory.resetPeak()
    let start = ContinuousClock.now
    let outcome: String
    do {
        let text = try parser.parse(data).text.utf8.count
        outcome = String(format: "%.1f MB of text in %.2f s", Double(text) / 1e6, (ContinuousClock.now - start).seconds)
    } catch {
        outcome = "refused (\(LibraryExtractor.refusalCode(error)))"
    }
    let peak = Memory.peakResidentBytes()
    return "\(mebibytes(data.count)) .docx, \(mebibytes(xmlBytes)) of XML"
        + (pictureBytes > 0 ? " + \(mebibytes(pictureBytes)) picture" : "")
        + ": \(outcome); peak \(mebibytes(peak - baseline)) above the baseline (\(mebibytes(baseline)))"
        + (resetWorked ? "" : " (peak counted from process start)")
}

// MARK: - Corpus

let folder = URL(fileURLWithPath: folderPath)
let names: [String]
do {
    names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        .filter { $0.lowercased().hasSuffix(".docx") }
        .sorted()
} catch {
    print("error: cannot list \(folder.path): \(error.localizedDescription)")
    exit(1)
}
var files: [CorpusFile] = []
var floorRefused: [String] = []
var ourRefusals: [String: Int] = [:]
var ourRefused: [String] = []
for name in names {
    guard let bytes = try? Data(contentsOf: folder.appendingPathComponent(name)) else { continue }
    let floorReads = FloorExtractor.extract(bytes) != nil
    var weRead = true
    do {
        _ = try LibraryExtractor.extract(bytes)
    } catch {
        weRead = false
        ourRefusals[LibraryExtractor.refusalCode(error), default: 0] += 1
        ourRefused.append(name)
    }
    if !floorReads { floorRefused.append(name) }
    if floorReads && weRead { files.append(CorpusFile(name: name, bytes: bytes)) }
}
guard !files.isEmpty else {
    print("error: no .docx in \(folder.path) that every extractor reads")
    exit(1)
}
let totalBytes = files.reduce(0) { $0 + $1.bytes.count }
let skipped = names.count - files.count
print("parsing-benchmark: \(folder.path)")
print(
    "files: \(files.count) of \(names.count) .docx read by every extractor (\(String(format: "%.2f", Double(totalBytes) / 1e6)) MB); "
        + "skipped \(skipped): the floor refuses \(floorRefused.count), ResumeParsing refuses \(ourRefused.count)"
        + (ourRefusals.isEmpty
            ? ""
            : " (" + ourRefusals.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                + ")")
)
let weOnlyRefuse = Set(ourRefused).subtracting(floorRefused).sorted()
if !weOnlyRefuse.isEmpty {
    print("  refused by ResumeParsing but read by the floor: \(weOnlyRefuse.joined(separator: ", "))")
}

// MARK: - Speed, one thread, interleaved file by file

// The two extractors take turns on each file, so that a slower or faster moment of a shared machine
// weighs on both alike.
var sink = 0
@MainActor
func interleavedPass() -> (floor: Duration, library: Duration) {
    var floor = Duration.zero
    var library = Duration.zero
    let clock = ContinuousClock()
    for file in files {
        let start = clock.now
        sink &+= FloorExtractor.extract(file.bytes) ?? 0
        let middle = clock.now
        sink &+= (try? LibraryExtractor.extract(file.bytes)) ?? 0
        let end = clock.now
        floor += middle - start
        library += end - middle
    }
    return (floor, library)
}
_ = interleavedPass()
var floorTime = Duration.zero
var libraryTime = Duration.zero
var passes = 0
while floorTime.seconds < secondsPerExtractor || libraryTime.seconds < secondsPerExtractor {
    let pass = interleavedPass()
    floorTime += pass.floor
    libraryTime += pass.library
    passes += 1
}

// MARK: - Speed, all cores

let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
@MainActor
func concurrentPass() async -> Duration {
    let start = ContinuousClock.now
    let corpus = files
    await withTaskGroup(of: Int.self) { group in
        var next = 0
        for _ in 0..<min(workers, corpus.count) {
            let file = corpus[next]
            next += 1
            group.addTask { (try? LibraryExtractor.extract(file.bytes)) ?? 0 }
        }
        while let characters = await group.next() {
            sink &+= characters
            if next < corpus.count {
                let file = corpus[next]
                next += 1
                group.addTask { (try? LibraryExtractor.extract(file.bytes)) ?? 0 }
            }
        }
    }
    return ContinuousClock.now - start
}
var concurrentTime = Duration.zero
var concurrentPasses = 0
while concurrentTime.seconds < secondsPerExtractor {
    concurrentTime += await concurrentPass()
    concurrentPasses += 1
}

@MainActor
func rate(_ passes: Int, _ time: Duration) -> (files: Double, megabytes: Double) {
    let seconds = max(time.seconds, 1e-9)
    return (Double(files.count * passes) / seconds, Double(totalBytes * passes) / 1e6 / seconds)
}
let floorRate = rate(passes, floorTime)
let libraryRate = rate(passes, libraryTime)
let concurrentRate = rate(concurrentPasses, concurrentTime)
@MainActor
func row(_ name: String, _ rate: (files: Double, megabytes: Double), _ note: String) -> String {
    name.padding(toLength: 40, withPad: " ", startingAt: 0)
        + String(format: "%10.1f %9.2f   ", rate.files, rate.megabytes) + note
}
print("")
print("extractor".padding(toLength: 40, withPad: " ", startingAt: 0) + "   files/s      MB/s")
print(row("C floor (libzip + xmlTextReader)", floorRate, "1 thread, \(passes) passes"))
print(
    row(
        "ResumeParsing",
        libraryRate,
        "1 thread, \(passes) passes: \(String(format: "%.2f", libraryRate.files / floorRate.files))× the floor (target ≥ 0.5×)"
    )
)
print(row("ResumeParsing, \(workers) tasks", concurrentRate, "TaskGroup, \(concurrentPasses) passes"))

// MARK: - The command line, one process over many files

if timeCommand {
    if let command = CommandLineTiming.locate(explicit: commandPath) {
        let urls = files.map { folder.appendingPathComponent($0.name) }
        let copies = max(1, 2_000 / urls.count)
        do {
            let result = try CommandLineTiming.run(command: command, files: urls, copies: copies)
            let note =
                "one process, \(result.files) files (\(copies)× each), start-up included"
                + (result.status == 0 ? "" : "; exit status \(result.status), \(result.failures) failure lines")
            let filesPerSecond = Double(result.files) / max(result.seconds, 1e-9)
            let megabytesPerSecond = Double(totalBytes * copies) / 1e6 / max(result.seconds, 1e-9)
            print(row("resume-optimizer extract --output-dir", (filesPerSecond, megabytesPerSecond), note))
        } catch {
            print("resume-optimizer extract --output-dir: could not run \(command.path): \(error)")
        }
    } else {
        print(
            "resume-optimizer extract --output-dir: skipped (run from the repository root, or pass --cli PATH "
                + "to a binary built with `swift build -c release --package-path Examples`)"
        )
    }
}

// MARK: - Memory

print("")
print("memory, 10 MiB document with a picture, default limits: \(memoryWithPicture); target < 64 MiB")
print("memory, 10 MiB document of text, text limit raised: \(memoryAllText)")
print("memory, peak RSS of this process: \(mebibytes(Memory.peakResidentBytes()))" + (sink == 42 ? " " : ""))
