/// Writes zip archives whose entries are stored (not compressed), which is all a fuzzer needs to
/// wrap generated parts in a package the zip reader accepts.
public enum StoredZip {
    /// One file of the archive.
    public struct Entry: Sendable {
        /// The path inside the archive, such as `word/document.xml`.
        public var name: String
        /// The file's bytes.
        public var bytes: [UInt8]

        /// Creates an entry.
        public init(name: String, bytes: [UInt8]) {
            self.name = name
            self.bytes = bytes
        }
    }

    /// The bytes of a zip archive holding `entries` in order.
    public static func archive(_ entries: [Entry]) -> [UInt8] {
        var output: [UInt8] = []
        var central: [UInt8] = []
        for entry in entries {
            let name = Array(entry.name.utf8)
            let crc = crc32(entry.bytes)
            let size = UInt32(truncatingIfNeeded: entry.bytes.count)
            let offset = UInt32(truncatingIfNeeded: output.count)

            output.append(littleEndian: UInt32(0x0403_4b50))
            output.append(littleEndian: UInt16(20))  // version needed
            output.append(littleEndian: UInt16(0x0800))  // UTF-8 names
            output.append(littleEndian: UInt16(0))  // stored
            output.append(littleEndian: UInt16(0))  // time
            output.append(littleEndian: UInt16(0x21))  // 1980-01-01
            output.append(littleEndian: crc)
            output.append(littleEndian: size)
            output.append(littleEndian: size)
            output.append(littleEndian: UInt16(truncatingIfNeeded: name.count))
            output.append(littleEndian: UInt16(0))
            output.append(contentsOf: name)
            output.append(contentsOf: entry.bytes)

            central.append(littleEndian: UInt32(0x0201_4b50))
            central.append(littleEndian: UInt16(20))  // version made by
            central.append(littleEndian: UInt16(20))  // version needed
            central.append(littleEndian: UInt16(0x0800))
            central.append(littleEndian: UInt16(0))
            central.append(littleEndian: UInt16(0))
            central.append(littleEndian: UInt16(0x21))
            central.append(littleEndian: crc)
            central.append(littleEndian: size)
            central.append(littleEndian: size)
            central.append(littleEndian: UInt16(truncatingIfNeeded: name.count))
            central.append(littleEndian: UInt16(0))  // extra
            central.append(littleEndian: UInt16(0))  // comment
            central.append(littleEndian: UInt16(0))  // disk
            central.append(littleEndian: UInt16(0))  // internal attributes
            central.append(littleEndian: UInt32(0))  // external attributes
            central.append(littleEndian: offset)
            central.append(contentsOf: name)
        }
        let centralOffset = UInt32(truncatingIfNeeded: output.count)
        output.append(contentsOf: central)
        output.append(littleEndian: UInt32(0x0605_4b50))
        output.append(littleEndian: UInt16(0))
        output.append(littleEndian: UInt16(0))
        output.append(littleEndian: UInt16(truncatingIfNeeded: entries.count))
        output.append(littleEndian: UInt16(truncatingIfNeeded: entries.count))
        output.append(littleEndian: UInt32(truncatingIfNeeded: central.count))
        output.append(littleEndian: centralOffset)
        output.append(littleEndian: UInt16(0))
        return output
    }

    private static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 {
            value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1
        }
        return value
    }

    /// The CRC-32 (ISO 3309) of `bytes`, as zip stores it.
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }
}

extension [UInt8] {
    fileprivate mutating func append<Integer: FixedWidthInteger>(littleEndian value: Integer) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
