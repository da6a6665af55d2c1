import Foundation

/// Times `resume-optimizer extract --output-dir` over many files in one process.
enum CommandLineTiming {
    struct Result {
        var files: Int
        var seconds: Double
        var status: Int32
        var failures: Int
    }

    /// Finds the command: `--cli PATH`, then `Examples/.build/release/resume-optimizer` from the
    /// current folder, building it there (release) when the Examples package is present.
    static func locate(explicit: String?) -> URL? {
        if let explicit { return URL(fileURLWithPath: explicit) }
        let fileManager = FileManager.default
        let examples = URL(fileURLWithPath: fileManager.currentDirectoryPath).appendingPathComponent("Examples")
        guard fileManager.fileExists(atPath: examples.appendingPathComponent("Package.swift").path) else {
            return nil
        }
        print("building resume-optimizer (release) for the command-line figure…")
        let build = Process()
        build.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        build.arguments = [
            "swift", "build", "-c", "release", "--package-path", examples.path, "--product", "resume-optimizer",
        ]
        build.standardOutput = FileHandle.nullDevice
        do {
            try build.run()
            build.waitUntilExit()
        } catch {
            return nil
        }
        guard build.terminationStatus == 0 else { return nil }
        let binary = examples.appendingPathComponent(".build/release/resume-optimizer")
        return fileManager.isExecutableFile(atPath: binary.path) ? binary : nil
    }

    /// Runs the command once over `copies` links to each file (distinct names, so every output is
    /// written) and returns the wall time of the whole process, start-up included.
    static func run(command: URL, files: [URL], copies: Int) throws -> Result {
        let fileManager = FileManager.default
        let scratch = fileManager.temporaryDirectory.appendingPathComponent("parsing-benchmark-\(getpid())")
        defer { try? fileManager.removeItem(at: scratch) }
        let inputs = scratch.appendingPathComponent("in")
        let outputs = scratch.appendingPathComponent("out")
        try fileManager.createDirectory(at: inputs, withIntermediateDirectories: true)
        var arguments = ["extract", "--output-dir", outputs.path]
        for copy in 0..<copies {
            for (index, file) in files.enumerated() {
                let link = inputs.appendingPathComponent("\(copy)-\(index)-\(file.lastPathComponent)")
                try fileManager.createSymbolicLink(at: link, withDestinationURL: file)
                arguments.append(link.path)
            }
        }
        let process = Process()
        process.executableURL = command
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        let start = ContinuousClock.now
        try process.run()
        let errorOutput = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let elapsed = ContinuousClock.now - start
        let failures = String(decoding: errorOutput, as: UTF8.self).split(separator: "\n").count
        return Result(
            files: files.count * copies,
            seconds: elapsed.seconds,
            status: process.terminationStatus,
            failures: failures
        )
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
