import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Process memory figures, in bytes.
public enum Memory {
    /// The process's peak resident set size since it started (or since `resetPeak()`).
    public static func peakResidentBytes() -> Int {
        if let kilobytes = procStatus("VmHWM") { return kilobytes * 1024 }
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Int(usage.ru_maxrss) * 1024
        #else
        getrusage(RUSAGE_SELF, &usage)
        return Int(usage.ru_maxrss)
        #endif
    }

    /// The process's current resident set size, when the platform tells it.
    public static func currentResidentBytes() -> Int? {
        procStatus("VmRSS").map { $0 * 1024 }
    }

    /// Resets the peak resident set size to the current one (Linux 4.0 and later).
    /// Returns false when the platform cannot, in which case the peak counts from process start.
    @discardableResult
    public static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do {
            try handle.write(contentsOf: Data("5".utf8))
            return true
        } catch {
            return false
        }
    }

    /// A value in kB from /proc/self/status, such as `VmHWM`.
    private static func procStatus(_ key: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(key + ":") {
            let digits = line.dropFirst(key.count + 1).filter(\.isNumber)
            return Int(digits)
        }
        return nil
    }
}

/// Formats a byte count in MiB with one decimal.
public func mebibytes(_ bytes: Int) -> String {
    String(format: "%.1f MiB", Double(bytes) / 1_048_576)
}
