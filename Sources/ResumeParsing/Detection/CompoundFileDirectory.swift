import Foundation

/// Reads the stream names of an OLE compound file (MS-CFB) to tell a legacy `.doc` from an encrypted
/// `.docx`, which share the same container.
///
/// Only the directory is read, with every offset bounds-checked; nothing is decompressed or executed.
struct CompoundFileDirectory {
    /// The names of the storages and streams found in the directory.
    let names: Set<String>

    private static let endOfChain: UInt32 = 0xFFFF_FFFE
    private static let maximumSectors = 1 << 20

    init?(_ data: Data) {
        let bytes = [UInt8](data)
        guard bytes.count >= 512 else { return nil }
        func uint16(_ offset: Int) -> Int? {
            guard offset >= 0, offset + 2 <= bytes.count else { return nil }
            return Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
        }
        func uint32(_ offset: Int) -> UInt32? {
            guard offset >= 0, offset + 4 <= bytes.count else { return nil }
            return UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
                | UInt32(bytes[offset + 3]) << 24
        }
        guard let shift = uint16(0x1E), shift == 9 || shift == 12,
            let fatSectorCount = uint32(0x2C), let firstDirectorySector = uint32(0x30)
        else { return nil }
        let sectorSize = 1 << shift
        func sectorOffset(_ sector: UInt32) -> Int? {
            let offset = (Int(sector) + 1) * sectorSize
            return offset + sectorSize <= bytes.count ? offset : nil
        }
        // The FAT sectors listed in the header (the first 109 are enough for files up to ~7 MiB at 512-byte
        // sectors; a longer list only matters for larger files, where the fallback below applies).
        var fat: [UInt32] = []
        for index in 0..<min(Int(fatSectorCount), 109) {
            guard let sector = uint32(0x4C + index * 4), let offset = sectorOffset(sector) else { break }
            for entry in 0..<(sectorSize / 4) {
                fat.append(uint32(offset + entry * 4) ?? Self.endOfChain)
            }
        }
        var names = Set<String>()
        var sector = firstDirectorySector
        var visited = 0
        // A chain can never be longer than the file has sectors; a longer one loops.
        let sectorCount = min(bytes.count / sectorSize, Self.maximumSectors)
        while sector != Self.endOfChain, visited < sectorCount, let offset = sectorOffset(sector) {
            visited += 1
            for entry in 0..<(sectorSize / 128) {
                let base = offset + entry * 128
                guard let length = uint16(base + 64), length >= 2, length <= 64 else { continue }
                var units: [UInt16] = []
                for unit in 0..<(length / 2 - 1) {
                    if let value = uint16(base + unit * 2) { units.append(UInt16(value)) }
                }
                names.insert(String(decoding: units, as: UTF16.self))
            }
            guard Int(sector) < fat.count else { break }
            sector = fat[Int(sector)]
        }
        guard !names.isEmpty else { return nil }
        self.names = names
    }

    /// The refusal for an OLE compound file, as specific as its directory allows.
    static func refusal(for data: Data) -> ResumeParsingError {
        let names = CompoundFileDirectory(data)?.names ?? Self.scanNames(data)
        if names.contains("EncryptedPackage") || names.contains("EncryptionInfo") {
            return ResumeParsingError(
                code: .encryptedDocument,
                message: "The document is password-protected; remove the password in Word and upload it again.",
                detectedFormat: .encryptedOffice
            )
        }
        if names.contains("WordDocument") {
            return ResumeParsingError(
                code: .legacyWordDocument,
                message: "Legacy Word documents (.doc) are not supported; save the resume as .docx.",
                detectedFormat: .doc
            )
        }
        if names.contains("Workbook") || names.contains("Book") || names.contains("PowerPoint Document") {
            return .unsupported(
                .compoundFile,
                "Excel and PowerPoint files are not resumes; upload .docx or plain text."
            )
        }
        return .unsupported(
            .compoundFile,
            "The file is an OLE compound file of an unknown kind (perhaps a legacy .doc or an encrypted document); "
                + "save the resume as .docx."
        )
    }

    /// When the directory cannot be walked (a damaged file), look for the few names that matter as UTF-16.
    private static func scanNames(_ data: Data) -> Set<String> {
        var found = Set<String>()
        for name in ["EncryptedPackage", "EncryptionInfo", "WordDocument"] {
            var pattern = Data()
            for unit in name.utf16 {
                pattern.append(UInt8(unit & 0xFF))
                pattern.append(UInt8(unit >> 8))
            }
            if data.range(of: pattern) != nil { found.insert(name) }
        }
        return found
    }
}
