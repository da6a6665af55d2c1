internal import CLibZip
import Foundation

/// A zip archive opened read-only over bytes in memory. Owns its libzip handle.
///
/// The archive keeps a copy-free view of the caller's bytes, so it must not outlive them: open it inside
/// ``withArchive(_:body:)`` only.
final class ZipArchive {
    private let handle: OpaquePointer
    /// The number of entries in the central directory.
    let entryCount: Int

    private init(bytes: UnsafeRawBufferPointer) throws(ResumeParsingError) {
        var error = zip_error_t()
        zip_error_init(&error)
        defer { zip_error_fini(&error) }
        guard let base = bytes.baseAddress,
            let source = zip_source_buffer_create(base, zip_uint64_t(bytes.count), 0, &error)
        else {
            throw ZipArchive.error(code: zip_error_code_zip(&error), partName: nil)
        }
        guard let archive = zip_open_from_source(source, ZIP_RDONLY, &error) else {
            let code = zip_error_code_zip(&error)
            zip_source_free(source)
            throw ZipArchive.error(code: code, partName: nil)
        }
        handle = archive
        let count = zip_get_num_entries(archive, 0)
        entryCount = count < 0 ? 0 : Int(count)
    }

    deinit {
        zip_discard(handle)
    }

    /// Opens the archive over `data` for the duration of `body`.
    static func withArchive<Result>(
        _ data: Data,
        body: (ZipArchive) throws(ResumeParsingError) -> Result
    ) throws(ResumeParsingError) -> Result {
        let outcome: Swift.Result<Result, ResumeParsingError> = data.withUnsafeBytes { bytes in
            do throws(ResumeParsingError) {
                let archive = try ZipArchive(bytes: bytes)
                return .success(try body(archive))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    /// The index of the entry with this name (exact match first, then ignoring case as OPC requires).
    func entryIndex(named name: String) -> Int? {
        var index = zip_name_locate(handle, name, 0)
        if index < 0 {
            index = zip_name_locate(handle, name, ZIP_FL_NOCASE)
        }
        return index < 0 ? nil : Int(index)
    }

    /// The name of the entry at `index`.
    func entryName(at index: Int) -> String? {
        guard index >= 0, let name = zip_get_name(handle, zip_uint64_t(index), zip_flags_t(ZIP_FL_ENC_GUESS)) else {
            return nil
        }
        return String(cString: name)
    }

    /// Opens one entry for streaming. Its bytes are counted against `budget` as they come out of the
    /// decompressor.
    ///
    /// The sizes the archive declares are never trusted: they serve only as the compressed size for the
    /// ratio check; the limits apply to the bytes actually produced.
    func openEntry(
        at index: Int,
        partName: String,
        budget: InflateBudget
    ) throws(ResumeParsingError) -> ZipEntryStream {
        var stat = zip_stat_t()
        zip_stat_init(&stat)
        guard zip_stat_index(handle, zip_uint64_t(index), 0, &stat) == 0 else {
            throw ZipArchive.error(code: zip_error_code_zip(zip_get_error(handle)), partName: partName)
        }
        if stat.valid & zip_uint64_t(ZIP_STAT_ENCRYPTION_METHOD) != 0
            && stat.encryption_method != UInt16(ZIP_EM_NONE)
        {
            throw ZipArchive.error(code: ZIP_ER_NOPASSWD, partName: partName)
        }
        let compressedSize = stat.valid & zip_uint64_t(ZIP_STAT_COMP_SIZE) != 0 ? stat.comp_size : 0
        let hasMethod = stat.valid & zip_uint64_t(ZIP_STAT_COMP_METHOD) != 0
        let isCompressed = hasMethod && stat.comp_method != UInt16(ZIP_CM_STORE)
        // Stored and deflated entries (all that Office writes) are read as stored, inflated and checked
        // here: libzip's own layers would copy the bytes twice more and sum them with zlib's slower CRC.
        // The check is libzip's: the CRC the directory records.
        var decoding: ZipEntryStream.Decoding?
        if hasMethod, stat.valid & zip_uint64_t(ZIP_STAT_CRC) != 0 {
            if stat.comp_method == UInt16(ZIP_CM_STORE) {
                decoding = .stored(crc: stat.crc)
            } else if stat.comp_method == UInt16(ZIP_CM_DEFLATE), let inflater = RawInflate() {
                decoding = .deflated(inflater, crc: stat.crc)
            }
        }
        let flags = decoding == nil ? zip_flags_t(0) : zip_flags_t(ZIP_FL_COMPRESSED)
        guard let file = zip_fopen_index(handle, zip_uint64_t(index), flags) else {
            throw ZipArchive.error(code: zip_error_code_zip(zip_get_error(handle)), partName: partName)
        }
        return ZipEntryStream(
            archive: self,
            file: file,
            partName: partName,
            compressedSize: isCompressed ? compressedSize : nil,
            budget: budget,
            decoding: decoding
        )
    }

    /// Maps a libzip error code to a parsing error, in one place.
    fileprivate static func error(code: Int32, partName: String?) -> ResumeParsingError {
        let what = partName.map { "The part \($0)" } ?? "The archive"
        switch code {
        case ZIP_ER_NOPASSWD, ZIP_ER_WRONGPASSWD, ZIP_ER_ENCRNOTSUPP:
            return ResumeParsingError(
                code: .encryptedDocument,
                message: "\(what) is encrypted; remove the password and upload the document again.",
                detectedFormat: .encryptedOffice,
                partName: partName
            )
        case ZIP_ER_CRC:
            return ResumeParsingError(
                code: .corruptArchive,
                message: "\(what) fails its checksum; the file is damaged. Save it again and re-upload.",
                partName: partName
            )
        case ZIP_ER_COMPNOTSUPP:
            return ResumeParsingError(
                code: .corruptArchive,
                message: "\(what) uses a compression method that is not supported; save the document again in Word.",
                partName: partName
            )
        default:
            return ResumeParsingError(
                code: .corruptArchive,
                message:
                    "\(what) is truncated or damaged (libzip error \(code)); save the document again and re-upload.",
                partName: partName
            )
        }
    }
}

/// One archive entry being inflated. Owns its libzip file handle and keeps the archive alive.
final class ZipEntryStream {
    /// How the entry's bytes become its content when this stream, not libzip, decodes them.
    enum Decoding {
        /// Stored: the bytes are the content, checked against the recorded CRC.
        case stored(crc: UInt32)
        /// Deflated: inflated here, then checked so.
        case deflated(RawInflate, crc: UInt32)

        /// The CRC the directory records.
        var crc: UInt32 {
            switch self {
            case .stored(let crc), .deflated(_, let crc): crc
            }
        }
    }

    private let archive: ZipArchive
    private let file: OpaquePointer
    let partName: String
    private let compressedSize: UInt64?
    private let budget: InflateBudget
    private var inflatedSize = 0
    /// Whether the inflated bytes are kept as they are read (see ``keptBytes``).
    var keepsBytes = false
    private var kept: [UInt8] = []
    /// Whether a read has returned the end of the entry.
    private var reachedEnd = false
    /// `nil` when libzip decodes and checks the entry (a method other than store or deflate).
    private let decoding: Decoding?
    /// The CRC of the content produced so far, when this stream checks it.
    private var crc: UInt32 = 0
    /// Compressed bytes read from the archive and not yet inflated: `input[pending]`.
    private var input: UnsafeMutableRawBufferPointer?
    private var pending = 0..<0
    private var inputEnded = false
    private var inflateFinished = false
    private static let inputChunkSize = 16 * 1024

    fileprivate init(
        archive: ZipArchive,
        file: OpaquePointer,
        partName: String,
        compressedSize: UInt64?,
        budget: InflateBudget,
        decoding: Decoding?
    ) {
        self.archive = archive
        self.file = file
        self.partName = partName
        self.compressedSize = compressedSize
        self.budget = budget
        self.decoding = decoding
    }

    deinit {
        zip_fclose(file)
        input?.deallocate()
    }

    /// Inflates up to `buffer.count` bytes into `buffer`; returns 0 at the end of the entry.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ResumeParsingError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0, !reachedEnd else { return 0 }
        let count: Int
        if case .deflated(let inflater, _)? = decoding {
            count = try inflate(with: inflater, into: buffer)
        } else {
            let read = zip_fread(file, base, zip_uint64_t(buffer.count))
            if read < 0 { throw fileError() }
            count = Int(read)
        }
        // At the end, the CRC must be the one the directory records. (The recorded size is not held against
        // the content, as libzip does not: the limits count the bytes really produced.)
        if let expected = decoding?.crc {
            crc = RawDeflate.crc32(crc, UnsafeRawBufferPointer(start: base, count: count))
            if count == 0 && crc != expected { throw ZipArchive.error(code: ZIP_ER_CRC, partName: partName) }
        }
        inflatedSize += count
        try budget.consume(count, partSize: inflatedSize, compressedSize: compressedSize, partName: partName)
        if count == 0 { reachedEnd = true }
        if keepsBytes, count > 0 {
            kept.append(contentsOf: UnsafeRawBufferPointer(start: base, count: count))
        }
        return count
    }

    /// Inflates the next bytes into `buffer`, reading compressed bytes as needed; 0 at the stream's end.
    private func inflate(with inflater: RawInflate, into buffer: UnsafeMutableRawBufferPointer)
        throws(ResumeParsingError) -> Int
    {
        while !inflateFinished {
            let chunk = input ?? .allocate(byteCount: Self.inputChunkSize, alignment: 1)
            input = chunk
            if pending.isEmpty && !inputEnded {
                let read = zip_fread(file, chunk.baseAddress!, zip_uint64_t(chunk.count))
                if read < 0 { throw fileError() }
                pending = 0..<Int(read)
                inputEnded = read == 0
            }
            switch inflater.inflate(UnsafeRawBufferPointer(rebasing: chunk[pending]), into: buffer) {
            case .failed:
                throw ZipArchive.error(code: ZIP_ER_COMPRESSED_DATA, partName: partName)
            case .progress(let consumed, let produced, let finished):
                pending = pending.lowerBound + consumed..<pending.upperBound
                inflateFinished = finished
                if produced > 0 { return produced }
                // Nothing produced, no input left, the stream not ended: it is cut short.
                if !finished && pending.isEmpty && inputEnded {
                    throw ZipArchive.error(code: ZIP_ER_INCONS, partName: partName)
                }
            }
        }
        return 0
    }

    private func fileError() -> ResumeParsingError {
        ZipArchive.error(code: zip_error_code_zip(zip_file_get_error(file)), partName: partName)
    }

    /// With ``keepsBytes`` set before the first read: the whole entry, once a read has returned its end;
    /// `nil` before that.
    func keptBytes() -> [UInt8]? {
        keepsBytes && reachedEnd ? kept : nil
    }

    /// Reads the whole entry, for small parts; stops with a limit error past `maximumSize`.
    func readAll(maximumSize: Int) throws(ResumeParsingError) -> [UInt8] {
        var bytes: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 1)
        defer { chunk.deallocate() }
        while true {
            let count = try read(into: chunk)
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > maximumSize {
                throw .limitExceeded(
                    .inflatedPartSize,
                    "The part \(partName) is larger than the \(maximumSize) bytes expected.",
                    partName: partName
                )
            }
        }
    }
}

/// What is left to inflate from one archive, and the ratio rule. Shared by the entries of one archive.
final class InflateBudget {
    let maximumPartSize: Int
    let maximumTotalSize: Int
    let maximumRatio: Double
    let ratioThreshold: Int
    private(set) var totalSize = 0

    init(_ configuration: ResumeParser.Configuration) {
        maximumPartSize = configuration.maximumInflatedPartSize
        maximumTotalSize = configuration.maximumInflatedTotalSize
        maximumRatio = configuration.maximumCompressionRatio
        ratioThreshold = configuration.compressionRatioThreshold
    }

    func consume(
        _ count: Int,
        partSize: Int,
        compressedSize: UInt64?,
        partName: String
    ) throws(ResumeParsingError) {
        totalSize += count
        if partSize > maximumPartSize {
            throw .limitExceeded(
                .inflatedPartSize,
                "The part \(partName) inflates past the limit of \(maximumPartSize) bytes.",
                partName: partName
            )
        }
        if totalSize > maximumTotalSize {
            throw .limitExceeded(
                .inflatedTotalSize,
                "The archive inflates past the limit of \(maximumTotalSize) bytes in total.",
                partName: partName
            )
        }
        if let compressedSize, partSize > ratioThreshold,
            Double(partSize) > maximumRatio * Double(max(compressedSize, 1))
        {
            throw .limitExceeded(
                .compressionRatio,
                "The part \(partName) inflates more than \(Int(maximumRatio)) times its compressed size "
                    + "(a zip bomb?).",
                partName: partName
            )
        }
    }
}
