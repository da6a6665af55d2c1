import CLibZip
import Foundation

/// Writes a zip archive in memory with libzip, so tests can build their documents inline.
struct ZipWriter {
    enum Compression {
        case deflate
        case store
    }

    struct Entry {
        var name: String
        var data: Data
        var compression: Compression
    }

    private(set) var entries: [Entry] = []

    init() {}

    mutating func add(_ name: String, _ text: String, compression: Compression = .deflate) {
        entries.append(Entry(name: name, data: Data(text.utf8), compression: compression))
    }

    mutating func add(_ name: String, data: Data, compression: Compression = .deflate) {
        entries.append(Entry(name: name, data: data, compression: compression))
    }

    /// The archive's bytes.
    func archive() -> Data {
        var error = zip_error_t()
        zip_error_init(&error)
        defer { zip_error_fini(&error) }
        guard let source = zip_source_buffer_create(nil, 0, 0, &error) else { fatalError("zip_source_buffer_create") }
        zip_source_keep(source)
        defer { zip_source_free(source) }
        guard let archive = zip_open_from_source(source, ZIP_TRUNCATE, &error) else {
            fatalError("zip_open_from_source")
        }
        for entry in entries {
            let buffer = malloc(max(entry.data.count, 1))!
            entry.data.withUnsafeBytes { bytes in
                if let base = bytes.baseAddress { buffer.copyMemory(from: base, byteCount: bytes.count) }
            }
            guard let entrySource = zip_source_buffer(archive, buffer, zip_uint64_t(entry.data.count), 1) else {
                fatalError("zip_source_buffer")
            }
            let index = zip_file_add(archive, entry.name, entrySource, zip_flags_t(ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE))
            guard index >= 0 else { fatalError("zip_file_add") }
            let method = entry.compression == .deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE
            zip_set_file_compression(archive, zip_uint64_t(index), method, 0)
        }
        guard zip_close(archive) == 0 else { fatalError("zip_close") }
        guard zip_source_open(source) == 0 else { fatalError("zip_source_open") }
        defer { zip_source_close(source) }
        var output = Data()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { zip_source_read(source, $0.baseAddress, zip_uint64_t($0.count)) }
            if count <= 0 { break }
            output.append(contentsOf: chunk[0..<Int(count)])
        }
        return output
    }
}

extension Data {
    /// Rewrites the uncompressed size that every local and central header declares, to build archives
    /// that lie about their sizes.
    func declaringUncompressedSize(_ size: UInt32) -> Data {
        rewritingHeaderField(local: 22, central: 24, to: size)
    }

    /// Rewrites a 32-bit field of the local headers and central records, at `local` bytes into each local
    /// header and `central` bytes into each central record: of the entry named `entry`, or of every entry.
    func rewritingHeaderField(local: Int, central: Int, to value: UInt32, entry: String? = nil) -> Data {
        var bytes = [UInt8](self)
        let name = entry.map { Array($0.utf8) }
        func write(at offset: Int) {
            for shift in 0..<4 { bytes[offset + shift] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(shift))) }
        }
        /// Whether the name stored at `start`, `length` bytes long, is the entry's (any name without one).
        func isNamed(at start: Int, length: Int) -> Bool {
            guard let name else { return true }
            return Array(bytes[start...].prefix(length)) == name
        }
        func u16(_ offset: Int) -> Int { Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 }
        var index = 0
        while index + 46 <= bytes.count {
            let signature = bytes[index..<index + 4]
            if signature.elementsEqual([0x50, 0x4B, 0x03, 0x04]), isNamed(at: index + 30, length: u16(index + 26)) {
                write(at: index + local)
            } else if signature.elementsEqual([0x50, 0x4B, 0x01, 0x02]),
                isNamed(at: index + 46, length: u16(index + 28))
            {
                write(at: index + central)
            }
            index += 1
        }
        return Data(bytes)
    }
}
