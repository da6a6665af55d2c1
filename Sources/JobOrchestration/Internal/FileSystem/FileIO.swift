import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Blocking file operations for ``DirectoryJobStore``; call them from a thread pool, never from the
/// cooperative executor.
enum FileIO {
    struct Failure: Error, CustomStringConvertible {
        var operation: String
        var errno: Int32

        var description: String {
            "\(operation) failed: \(String(cString: strerror(errno))) (errno \(errno))"
        }
    }

    /// Writes a file atomically: a temporary file in the same directory, fsync, rename, fsync of the directory.
    static func writeAtomically(_ data: Data, to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = directory + "/." + name + ".tmp-" + JobID.random().shortPrefix
        try writeNew(data, to: temporary)
        guard rename(temporary, path) == 0 else {
            let error = Failure(operation: "rename", errno: errno)
            unlink(temporary)
            throw error
        }
        try syncDirectory(directory)
    }

    /// Creates `path` holding `data`, failing if it exists; the file is fsynced.
    static func writeNew(_ data: Data, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Failure(operation: "open", errno: errno) }
        var failure: Failure?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = Failure(operation: "write", errno: errno)
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = Failure(operation: "fsync", errno: errno) }
        close(descriptor)
        if let failure {
            unlink(path)
            throw failure
        }
    }

    /// Links `source` to `destination` unless `destination` exists; returns `false` if it does.
    static func linkIfAbsent(_ source: String, _ destination: String) throws -> Bool {
        if link(source, destination) == 0 { return true }
        if errno == EEXIST { return false }
        throw Failure(operation: "link", errno: errno)
    }

    static func syncDirectory(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure(operation: "open directory", errno: errno) }
        defer { close(descriptor) }
        if fsync(descriptor) != 0, errno != EINVAL {
            throw Failure(operation: "fsync directory", errno: errno)
        }
    }

    /// Reads a whole file, or returns `nil` if it does not exist.
    static func read(_ path: String, limit: Int = 64 << 20) throws -> Data? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw Failure(operation: "open", errno: errno)
        }
        defer { close(descriptor) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { posixRead(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(operation: "read", errno: errno)
            }
            if count == 0 { break }
            data.append(contentsOf: buffer[0..<count])
            guard data.count <= limit else { throw Failure(operation: "read (file too large)", errno: EFBIG) }
        }
        return data
    }

    /// Creates a directory and its parents, private to the owner.
    static func makeDirectory(_ path: String) throws {
        if mkdir(path, 0o700) == 0 || errno == EEXIST { return }
        if errno == ENOENT {
            try makeDirectory((path as NSString).deletingLastPathComponent)
            if mkdir(path, 0o700) == 0 || errno == EEXIST { return }
        }
        throw Failure(operation: "mkdir", errno: errno)
    }

    /// The names in a directory (without `.` and `..`), or an empty list if it does not exist.
    static func list(_ path: String) throws -> [String] {
        guard let directory = opendir(path) else {
            if errno == ENOENT || errno == ENOTDIR { return [] }
            throw Failure(operation: "opendir", errno: errno)
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes a file; a missing file is not an error.
    static func remove(_ path: String) throws {
        if unlink(path) == 0 || errno == ENOENT { return }
        throw Failure(operation: "unlink", errno: errno)
    }

    /// Removes a directory tree; a missing tree is not an error.
    static func removeTree(_ path: String) throws {
        for name in try list(path) {
            let child = path + "/" + name
            var info = stat()
            if lstat(child, &info) == 0, (info.st_mode & 0o170000) == 0o040000 {
                try removeTree(child)
            } else {
                try remove(child)
            }
        }
        if rmdir(path) == 0 || errno == ENOENT { return }
        throw Failure(operation: "rmdir", errno: errno)
    }
}

private func posixRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
