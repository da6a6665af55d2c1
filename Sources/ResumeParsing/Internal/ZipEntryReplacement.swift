import Foundation

/// Writes a copy of a zip archive in which one entry holds new content, copying every other byte as it is.
///
/// The entries before and after the replaced one (local headers, data, data descriptors) and the archive
/// comment are copied byte for byte, and so is the central directory, but for the replaced entry's record
/// and the offsets of the entries that follow it. (libzip's writer opens the archive once more, parsing its
/// directory and converting every entry's time, rebuilds each local header and writes through buffers of
/// its own: for a small document that costs more than deflating the new part.)
///
/// Only the layout nearly every package has is handled: one disk, no zip64 records, the central directory
/// right before its end record, one entry at each local header. For any other layout the result is `nil`,
/// and the caller writes the archive another way.
enum ZipEntryReplacement {
    /// The new content of the entry, deflated, with what its headers record.
    struct Content {
        var deflated: [UInt8]
        var crc32: UInt32
        /// The size before deflating.
        var size: Int
    }

    private static let endRecordSignature: UInt32 = 0x0605_4B50
    private static let zip64LocatorSignature: UInt32 = 0x0706_4B50
    private static let centralRecordSignature: UInt32 = 0x0201_4B50
    private static let localHeaderSignature: UInt32 = 0x0403_4B50
    private static let endRecordSize = 22
    private static let zip64LocatorSize = 20
    private static let centralRecordSize = 46
    private static let localHeaderSize = 30
    private static let deflateMethod: UInt16 = 8

    /// `archive` with the entry at `index` (in central directory order, as libzip counts) holding
    /// `content`, or `nil` when the archive's layout is not one this copy handles.
    static func replacing(entryAt index: Int, with content: Content, in archive: UnsafeRawBufferPointer) -> Data? {
        guard let end = endRecordOffset(in: archive) else { return nil }
        let entryCount = Int(archive.uint16(at: end + 10))
        let directorySize = Int(archive.uint32(at: end + 12))
        let directoryStart = Int(archive.uint32(at: end + 16))
        guard archive.uint16(at: end + 4) == 0, archive.uint16(at: end + 6) == 0,
            Int(archive.uint16(at: end + 8)) == entryCount, entryCount != 0xFFFF, index >= 0, index < entryCount,
            directoryStart + directorySize == end,
            end < zip64LocatorSize || archive.uint32(at: end - zip64LocatorSize) != zip64LocatorSignature
        else { return nil }

        // Each record's offset and the offset of the local header it names.
        var records: [(offset: Int, localHeader: Int)] = []
        records.reserveCapacity(entryCount)
        var position = directoryStart
        for _ in 0..<entryCount {
            guard position + centralRecordSize <= end, archive.uint32(at: position) == centralRecordSignature
            else { return nil }
            let localHeader = archive.uint32(at: position + 42)
            guard archive.uint32(at: position + 20) != 0xFFFF_FFFF, archive.uint32(at: position + 24) != 0xFFFF_FFFF,
                archive.uint16(at: position + 34) == 0, Int(localHeader) < directoryStart
            else { return nil }
            records.append((position, Int(localHeader)))
            position +=
                centralRecordSize + Int(archive.uint16(at: position + 28)) + Int(archive.uint16(at: position + 30))
                + Int(archive.uint16(at: position + 32))
        }
        guard position == end else { return nil }

        // The replaced entry's bytes run from its local header to the next one, or to the directory.
        let record = records[index].offset
        let oldStart = records[index].localHeader
        var oldEnd = directoryStart
        for other in records where other.offset != record {
            if other.localHeader == oldStart { return nil }
            if other.localHeader > oldStart { oldEnd = min(oldEnd, other.localHeader) }
        }
        guard oldStart + localHeaderSize <= oldEnd, archive.uint32(at: oldStart) == localHeaderSignature else {
            return nil
        }
        let nameLength = Int(archive.uint16(at: record + 28))
        let newLength = localHeaderSize + nameLength + content.deflated.count
        let shift = newLength - (oldEnd - oldStart)
        guard content.size < 0xFFFF_FFFF, content.deflated.count < 0xFFFF_FFFF,
            end + shift < 0xFFFF_FFFF
        else { return nil }

        let versionNeeded = max(archive.uint16(at: record + 6), 20)
        // No data descriptor (bit 3); bits 1 and 2 give the deflate level: `10`, fast.
        let flags = (archive.uint16(at: record + 8) & ~0x000E) | 0x0004
        var output = Data(count: archive.count + shift)
        output.withUnsafeMutableBytes { output in
            output.copy(archive, from: 0..<oldStart, to: 0)
            // The new local header, with the name its record gives, then the data.
            output.store(localHeaderSignature, at: oldStart)
            output.store(versionNeeded, at: oldStart + 4)
            output.store(flags, at: oldStart + 6)
            output.store(deflateMethod, at: oldStart + 8)
            output.copy(archive, from: record + 12..<record + 16, to: oldStart + 10)
            output.store(content.crc32, at: oldStart + 14)
            output.store(UInt32(content.deflated.count), at: oldStart + 18)
            output.store(UInt32(content.size), at: oldStart + 22)
            output.store(UInt16(nameLength), at: oldStart + 26)
            output.store(UInt16(0), at: oldStart + 28)
            let name = record + centralRecordSize
            output.copy(archive, from: name..<name + nameLength, to: oldStart + localHeaderSize)
            content.deflated.withUnsafeBytes { deflated in
                output.copy(deflated, from: 0..<deflated.count, to: oldStart + localHeaderSize + nameLength)
            }
            // The entries after it, the directory and the end record, moved by `shift`; then the offsets.
            output.copy(archive, from: oldEnd..<archive.count, to: oldEnd + shift)
            for other in records where other.localHeader > oldStart {
                output.store(UInt32(other.localHeader + shift), at: other.offset + shift + 42)
            }
            let newRecord = record + shift
            output.store(versionNeeded, at: newRecord + 6)
            output.store(flags, at: newRecord + 8)
            output.store(deflateMethod, at: newRecord + 10)
            output.store(content.crc32, at: newRecord + 16)
            output.store(UInt32(content.deflated.count), at: newRecord + 20)
            output.store(UInt32(content.size), at: newRecord + 24)
            output.store(UInt32(directoryStart + shift), at: end + shift + 16)
        }
        return output
    }

    /// The offset of the end of central directory record: the last one whose comment runs to the end.
    private static func endRecordOffset(in archive: UnsafeRawBufferPointer) -> Int? {
        guard archive.count >= endRecordSize else { return nil }
        let last = archive.count - endRecordSize
        for offset in stride(from: last, through: max(0, last - 0xFFFF), by: -1)
        where archive.uint32(at: offset) == endRecordSignature {
            if offset + endRecordSize + Int(archive.uint16(at: offset + 20)) == archive.count { return offset }
        }
        return nil
    }
}

extension UnsafeRawBufferPointer {
    /// The little-endian integer at `offset`.
    fileprivate func uint16(at offset: Int) -> UInt16 {
        UInt16(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    fileprivate func uint32(at offset: Int) -> UInt32 {
        UInt32(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
}

extension UnsafeMutableRawBufferPointer {
    /// Stores `value` little-endian at `offset`.
    fileprivate func store<Value: FixedWidthInteger>(_ value: Value, at offset: Int) {
        storeBytes(of: value.littleEndian, toByteOffset: offset, as: Value.self)
    }

    /// Copies `source[range]` to `offset`.
    fileprivate func copy(_ source: UnsafeRawBufferPointer, from range: Range<Int>, to offset: Int) {
        guard !range.isEmpty else { return }
        UnsafeMutableRawBufferPointer(rebasing: self[offset..<offset + range.count])
            .copyMemory(from: UnsafeRawBufferPointer(rebasing: source[range]))
    }
}
