public import Foundation
public import ResumeParsing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What both fuzzers do with an input once it is a file: parse it with the default limits and
/// check the promises the parser makes on every input.
public enum FuzzTarget {
    /// One parser for the whole run, as a server would keep one.
    public static let parser = ResumeParser()

    /// The most CPU time one input may use (`FUZZ_CPU_LIMIT` seconds, default 1). libFuzzer's own
    /// `-timeout` counts wall-clock time, which a busy machine inflates; CPU time does not.
    public static let cpuLimitSeconds: Double =
        ProcessInfo.processInfo.environment["FUZZ_CPU_LIMIT"].flatMap(Double.init) ?? 1

    /// The most CPU time any input has used so far (the fuzzer runs inputs one at a time).
    nonisolated(unsafe) private static var slowestSeconds = 0.0

    private static let reportAtExit: Bool = {
        atexit {
            let line = String(format: "FuzzTarget: slowest unit used %.3f s of CPU\n", FuzzTarget.slowestSeconds)
            FileHandle.standardError.write(Data(line.utf8))
        }
        return true
    }()

    /// Parses `bytes`. A typed error is a fine outcome; a crash, a leak, a hang or a huge
    /// allocation is a finding (the sanitizers and libFuzzer's limits report those), and so is a
    /// unit that uses more than ``cpuLimitSeconds`` of CPU.
    public static func parse(_ bytes: Data) {
        _ = reportAtExit
        let start = threadCPUSeconds()
        do {
            let document = try parser.parse(bytes)
            // A document with no text is an error, never an empty resume.
            if document.text.isEmpty {
                fatalError("parse returned a document with no text instead of throwing")
            }
        } catch {
            // Refusals are expected: most fuzzed inputs are not documents.
        }
        let used = threadCPUSeconds() - start
        slowestSeconds = max(slowestSeconds, used)
        if used > cpuLimitSeconds {
            fatalError("one input used \(used) s of CPU, over the limit of \(cpuLimitSeconds) s")
        }
    }

    private static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
