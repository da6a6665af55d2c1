internal import CLibZip
import Foundation

/// Writes zip archives in memory: a copy of an archive with one entry's content replaced, or a new archive.
///
/// Entries not replaced are copied as they are stored (compressed bytes, names, order, comments), so every
/// part but the rewritten one stays byte for byte what it was.
enum ZipRewriter {
    /// Returns `original` with the content of the entry at `index` replaced by `content`, deflated at a fast
    /// level (a resume's main part is small; the other entries are copied compressed as they are).
    ///
    /// The copy is written directly (see ``ZipEntryReplacement``); libzip writes it only when the archive's
    /// layout is not one that copy handles (zip64, several disks). There the method asked for is
    /// `ZIP_CM_DEFAULT` (deflate): asking for `ZIP_CM_DEFLATE`, the method the entry already has, makes
    /// libzip drop the level and deflate at its best compression, which costs more than the rest of writing
    /// the package. A libzip that ignores the level with the default method deflates at its own default
    /// level; the entry is deflated either way.
    static func replacing(entryAt index: Int, with content: [UInt8], in original: Data) throws(ResumeParsingError)
        -> Data
    {
        if let copy = directCopy(replacingEntryAt: index, with: content, in: original) { return copy }
        return try withWritableArchive(copying: original) { archive throws(ResumeParsingError) in
            let source = try bufferSource(content)
            guard zip_file_replace(archive, zip_uint64_t(index), source, 0) == 0 else {
                zip_source_free(source)
                throw failure("the archive refused the rewritten part")
            }
            _ = zip_set_file_compression(archive, zip_uint64_t(index), ZIP_CM_DEFAULT, 1)
        }
    }

    /// The copy of `original` that ``ZipEntryReplacement`` writes, or `nil` when it does not handle the
    /// archive (or zlib cannot start).
    static func directCopy(replacingEntryAt index: Int, with content: [UInt8], in original: Data) -> Data? {
        guard let deflated = RawDeflate.deflate(content, level: 1) else { return nil }
        let replacement = ZipEntryReplacement.Content(
            deflated: deflated,
            crc32: RawDeflate.crc32(content),
            size: content.count
        )
        return original.withUnsafeBytes { ZipEntryReplacement.replacing(entryAt: index, with: replacement, in: $0) }
    }

    /// Returns a new archive holding `entries` in this order, each deflated.
    static func archive(_ entries: [(name: String, content: [UInt8])]) throws(ResumeParsingError) -> Data {
        try withWritableArchive(copying: nil) { archive throws(ResumeParsingError) in
            for entry in entries {
                let source = try bufferSource(entry.content)
                let index = zip_file_add(archive, entry.name, source, zip_flags_t(ZIP_FL_ENC_UTF_8))
                guard index >= 0 else {
                    zip_source_free(source)
                    throw failure("the archive refused a part")
                }
                _ = zip_set_file_compression(archive, zip_uint64_t(index), ZIP_CM_DEFLATE, 6)
            }
        }
    }

    /// A libzip source owning a copy of `bytes` (libzip frees it). The archive written over it may reuse
    /// its memory, so it is never the caller's.
    private static func bufferSource(_ bytes: [UInt8]) throws(ResumeParsingError) -> OpaquePointer {
        let copy = malloc(max(bytes.count, 1))!
        bytes.withUnsafeBytes { buffer in
            if let base = buffer.baseAddress { copy.copyMemory(from: base, byteCount: buffer.count) }
        }
        return try bufferSource(owning: copy, count: bytes.count)
    }

    /// A libzip source owning a copy of `data`, copied once (not through an array).
    private static func bufferSource(copying data: Data) throws(ResumeParsingError) -> OpaquePointer {
        let copy = malloc(max(data.count, 1))!
        data.withUnsafeBytes { buffer in
            if let base = buffer.baseAddress { copy.copyMemory(from: base, byteCount: buffer.count) }
        }
        return try bufferSource(owning: copy, count: data.count)
    }

    /// A libzip source over `copy`, which it frees (also when it cannot be made).
    private static func bufferSource(owning copy: UnsafeMutableRawPointer, count: Int) throws(ResumeParsingError)
        -> OpaquePointer
    {
        var error = zip_error_t()
        zip_error_init(&error)
        defer { zip_error_fini(&error) }
        guard let source = zip_source_buffer_create(copy, zip_uint64_t(count), 1, &error) else {
            free(copy)
            throw failure("no memory for a part")
        }
        return source
    }

    /// Opens an archive writing into memory (over a copy of `original`, or empty), runs `body`, closes it
    /// and returns the bytes written.
    private static func withWritableArchive(
        copying original: Data?,
        body: (OpaquePointer) throws(ResumeParsingError) -> Void
    ) throws(ResumeParsingError) -> Data {
        var error = zip_error_t()
        zip_error_init(&error)
        defer { zip_error_fini(&error) }
        let target: OpaquePointer
        if let original {
            target = try bufferSource(copying: original)
        } else {
            guard let empty = zip_source_buffer_create(nil, 0, 0, &error) else { throw failure("no memory") }
            target = empty
        }
        // Keep the source alive after zip_close, which writes the new archive into it.
        zip_source_keep(target)
        defer { zip_source_free(target) }
        guard let archive = zip_open_from_source(target, original == nil ? ZIP_TRUNCATE : 0, &error) else {
            throw failure("the archive could not be opened for writing (libzip error \(zip_error_code_zip(&error)))")
        }
        do {
            try body(archive)
        } catch {
            zip_discard(archive)
            throw error
        }
        guard zip_close(archive) == 0 else {
            let code = zip_error_code_zip(zip_get_error(archive))
            zip_discard(archive)
            throw failure("the archive could not be written (libzip error \(code))")
        }
        return try readAll(target)
    }

    private static func readAll(_ source: OpaquePointer) throws(ResumeParsingError) -> Data {
        guard zip_source_open(source) == 0 else { throw failure("the written archive could not be read") }
        defer { zip_source_close(source) }
        var stat = zip_stat_t()
        zip_stat_init(&stat)
        guard zip_source_stat(source, &stat) == 0, stat.valid & zip_uint64_t(ZIP_STAT_SIZE) != 0 else {
            throw failure("the written archive has no size")
        }
        var data = Data(count: Int(stat.size))
        let count = data.count
        let read = data.withUnsafeMutableBytes { buffer -> Int64 in
            guard let base = buffer.baseAddress else { return 0 }
            return zip_source_read(source, base, zip_uint64_t(count))
        }
        guard read == Int64(count) else { throw failure("the written archive could not be read") }
        return data
    }

    private static func failure(_ reason: String) -> ResumeParsingError {
        ResumeParsingError(code: .documentNotWritten, message: "The edited document could not be written: \(reason).")
    }
}
