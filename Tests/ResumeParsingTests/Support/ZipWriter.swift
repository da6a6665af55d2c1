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
        var bytes = [UInt8](self)
        func write(_ value: UInt32, at offset: Int) {
            for shift in 0..<4 { bytes[offset + shift] = UInt8((value >> (8 * UInt32(shift))) & 0xFF) }
        }
        var index = 0
        while index + 46 <= bytes.count {
            if bytes[index] == 0x50 && bytes[index + 1] == 0x4B && bytes[index + 2] == 0x03 && bytes[index + 3] == 0x04
            {
                write(size, at: index + 22)
            } else if bytes[index] == 0x50 && bytes[index + 1] == 0x4B && bytes[index + 2] == 0x01
                && bytes[index + 3] == 0x02
            {
                write(size, at: index + 24)
            }
            index += 1
        }
        return Data(bytes)
    }
}
