import Foundation
import HTTPTypes
import Hummingbird
import JobOrchestration
import NIOCore

/// The server's wire JSON: every JSON body the server sends (answers and refusals) is written here.
///
/// It is the ``ServerRequestContext``'s response encoder, so a route returns its answer as a
/// `ResponseEncodable` value and Hummingbird encodes it. One encoder serves every request: it holds no
/// state, and each body is written straight into a `ByteBuffer`, without the intermediate tree (and the
/// per-response `JSONEncoder`) that Foundation's encoder builds.
///
/// The output is compact JSON, UTF-8, with `/` not escaped. Members appear in the order the value
/// encodes them (the wire types encode a fixed order). There are no special cases: `Date`, `Data` and
/// `URL` values encode as their own `Encodable` conformance says (the wire types carry text for those).
/// A non-finite number, or a container used after its parent moved on, throws `EncodingError`.
struct ServerJSONEncoder: ResponseEncoder {
    /// The `Content-Type` of every JSON body.
    static let contentType = "application/json; charset=utf-8"

    func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        Self.response(body: try Self.encode(value))
    }

    /// A JSON response with `body` (JSON text), its `Content-Type` and `Content-Length`.
    static func response(body: ByteBuffer, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = HTTPFields()
        fields.reserveCapacity(headers.count + 2)
        fields.append(HTTPField(name: .contentType, value: contentType))
        fields.append(HTTPField(name: .contentLength, value: String(body.readableBytes)))
        for field in headers where field.name != .contentType && field.name != .contentLength {
            fields.append(field)
        }
        return Response(status: status, headers: fields, body: .init(byteBuffer: body))
    }

    /// The JSON text of `value`.
    static func encode(_ value: some Encodable) throws -> ByteBuffer {
        let sink = JSONSink()
        let slot = sink.state.startDocument()
        try value.encode(to: JSONValueEncoder(sink: sink, slot: slot, parent: nil, step: .root))
        return try sink.state.finish()
    }
}

/// The encoding state, one value for the whole document, so that each step is one access to it (the
/// state of a class field would be checked for exclusive access at every byte written).
private final class JSONSink {
    var state = JSONState()
}

/// Where the JSON text is written, and which containers are open.
///
/// Containers must be used as `Codable` types use them, innermost first: writing to a container
/// closes the containers opened inside it since. A value's place (a member, an element, the top
/// level) is a slot; a slot left empty is written as `{}`, as Foundation's encoder writes a value that
/// encoded nothing.
private struct JSONState {
    private struct Frame {
        var serial: Int
        var closer: UInt8
        var count: Int
    }

    private var buffer: [UInt8] = []
    private var frames: [Frame] = []
    private var nextSerial = 1
    /// The slot waiting for a value; 0 when none is.
    private var awaitingSlot = 0
    private var failure: EncodingError?

    init() {
        frames.reserveCapacity(8)
        buffer.reserveCapacity(1024)
    }

    /// The slot of the whole document.
    mutating func startDocument() -> Int {
        awaitingSlot = makeSerial()
        return awaitingSlot
    }

    private mutating func makeSerial() -> Int {
        defer { nextSerial += 1 }
        return nextSerial
    }

    mutating func fail(_ message: String, _ codingPath: @autoclosure () -> [any CodingKey]) {
        if failure == nil {
            failure = EncodingError.invalidValue(
                message,
                EncodingError.Context(codingPath: codingPath(), debugDescription: message)
            )
        }
    }

    mutating func finish() throws -> ByteBuffer {
        while !frames.isEmpty { closeTop() }
        if let failure { throw failure }
        if awaitingSlot != 0 {
            throw EncodingError.invalidValue(
                "",
                EncodingError.Context(codingPath: [], debugDescription: "The value encoded nothing.")
            )
        }
        var text = ByteBufferAllocator().buffer(capacity: buffer.count)
        text.writeBytes(buffer)
        return text
    }

    private mutating func closeTop() {
        if awaitingSlot != 0 {
            write("{}")
            awaitingSlot = 0
        }
        buffer.append(frames.removeLast().closer)
    }

    /// Closes the containers opened inside `frame`; `false` when `frame` is closed already.
    private mutating func reach(_ frame: Int) -> Bool {
        while let top = frames.last {
            if top.serial == frame { return true }
            if top.serial < frame { return false }
            closeTop()
        }
        return false
    }

    /// Opens an object or an array in `slot`; returns its frame (0 when the slot is not waiting).
    mutating func open(object: Bool, in slot: Int, _ codingPath: @autoclosure () -> [any CodingKey]) -> Int {
        guard slot == awaitingSlot, slot != 0 else {
            fail("A container was requested for a value already encoded.", codingPath())
            return 0
        }
        awaitingSlot = 0
        buffer.append(object ? UInt8(ascii: "{") : UInt8(ascii: "["))
        let serial = makeSerial()
        frames.append(Frame(serial: serial, closer: object ? UInt8(ascii: "}") : UInt8(ascii: "]"), count: 0))
        return serial
    }

    /// Starts the next member (`key` given) or element of `frame`; returns its slot.
    mutating func begin(in frame: Int, key: String?, _ codingPath: @autoclosure () -> [any CodingKey]) throws -> Int {
        guard frame != 0, reach(frame) else {
            fail("A container was used after its parent moved on.", codingPath())
            throw failure!
        }
        if awaitingSlot != 0 {
            write("{}")
        }
        if frames[frames.count - 1].count > 0 { buffer.append(UInt8(ascii: ",")) }
        frames[frames.count - 1].count += 1
        if let key {
            writeString(key)
            buffer.append(UInt8(ascii: ":"))
        }
        awaitingSlot = makeSerial()
        return awaitingSlot
    }

    /// Whether `slot` may take a value now.
    private mutating func take(_ slot: Int, _ codingPath: @autoclosure () -> [any CodingKey]) throws {
        guard slot == awaitingSlot, slot != 0 else {
            fail("A value was encoded twice, or after its container moved on.", codingPath())
            throw failure!
        }
        awaitingSlot = 0
    }

    mutating func writeNull(in slot: Int, _ codingPath: @autoclosure () -> [any CodingKey]) throws {
        try take(slot, codingPath())
        write("null")
    }

    mutating func write(_ value: Bool, in slot: Int, _ codingPath: @autoclosure () -> [any CodingKey]) throws {
        try take(slot, codingPath())
        if value { write("true") } else { write("false") }
    }

    mutating func write(_ value: String, in slot: Int, _ codingPath: @autoclosure () -> [any CodingKey]) throws {
        try take(slot, codingPath())
        writeString(value)
    }

    mutating func write(
        integer value: some BinaryInteger,
        in slot: Int,
        _ codingPath: @autoclosure () -> [any CodingKey]
    ) throws {
        try take(slot, codingPath())
        buffer.append(contentsOf: String(value).utf8)
    }

    mutating func write(
        floatingPoint value: some BinaryFloatingPoint & LosslessStringConvertible,
        in slot: Int,
        _ codingPath: @autoclosure () -> [any CodingKey]
    ) throws {
        guard value.isFinite else {
            fail("\(value) is not a JSON number.", codingPath())
            throw failure!
        }
        try take(slot, codingPath())
        // Whole numbers without a fraction, as JSON usually writes them (`67`, not `67.0`).
        if value == value.rounded(), abs(value) < 1e15 {
            buffer.append(contentsOf: String(Int64(value)).utf8)
        } else {
            buffer.append(contentsOf: value.description.utf8)
        }
    }

    private mutating func write(_ text: StaticString) {
        buffer.append(text)
    }

    private mutating func writeString(_ value: String) {
        buffer.appendJSONString(value)
    }
}

extension [UInt8] {
    private static let hex = Array("0123456789abcdef".utf8)

    fileprivate mutating func append(_ text: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends a JSON string literal: `"`, `\` and control characters escaped, everything else as it is.
    fileprivate mutating func appendJSONString(_ value: String) {
        append(UInt8(ascii: "\""))
        appendJSONStringContent(value)
        append(UInt8(ascii: "\""))
    }

    /// Appends the inside of a JSON string literal, escaped.
    fileprivate mutating func appendJSONStringContent(_ value: String) {
        var value = value
        value.withUTF8 { bytes in
            var start = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                switch byte {
                case UInt8(ascii: "\""): append("\\\"")
                case UInt8(ascii: "\\"): append("\\\\")
                case 0x0A: append("\\n")
                case 0x0D: append("\\r")
                case 0x09: append("\\t")
                case 0x08: append("\\b")
                case 0x0C: append("\\f")
                default:
                    append("\\u00")
                    append(Self.hex[Int(byte >> 4)])
                    append(Self.hex[Int(byte & 0x0F)])
                }
                start = index + 1
            }
            append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
    }
}

/// Writes JSON text value by value, for the answers read most often (a job's status, a page of jobs):
/// the same text ``ServerJSONEncoder`` writes for the same members in the same order, without
/// `Encodable`'s containers, boxes and coding keys on the way.
///
/// Use it as the `Encodable` conformance would: `beginObject()`, then `key(_:)` and a value for each
/// member, `endObject()`; commas are placed for you.
struct JSONTextWriter {
    private var bytes: [UInt8] = []
    /// Whether the next key or element follows a value (and so needs a comma).
    private var afterValue = false

    init(capacity: Int = 1024) {
        bytes.reserveCapacity(capacity)
    }

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    private mutating func open(_ opener: UInt8) {
        separate()
        bytes.append(opener)
        afterValue = false
    }

    private mutating func close(_ closer: UInt8) {
        bytes.append(closer)
        afterValue = true
    }

    /// A member's key; its value comes next. Keys are the wire type's own ASCII names, needing no escapes.
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(name)
        bytes.append("\":")
        afterValue = false
    }

    mutating func string(_ value: String) {
        separate()
        bytes.appendJSONString(value)
        afterValue = true
    }

    /// A string given in two parts, such as a download link's base and token.
    mutating func string(_ first: String, _ second: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        bytes.appendJSONStringContent(first)
        bytes.appendJSONStringContent(second)
        bytes.append(UInt8(ascii: "\""))
        afterValue = true
    }

    /// A job id as a string, written from its bytes.
    mutating func jobID(_ id: JobID) {
        id.withUTF8 { unescapedString($0) }
    }

    /// A time as a string in the status reports' form (`2024-07-23T18:00:00.000Z`), written from its bytes.
    mutating func timestamp(_ date: Date) {
        JobTimestamp.withUTF8(of: date) { unescapedString($0) }
    }

    /// A string whose text needs no escaping (digits, letters and punctuation other than `"` and `\`).
    private mutating func unescapedString(_ text: UnsafeBufferPointer<UInt8>) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: text)
        bytes.append(UInt8(ascii: "\""))
        afterValue = true
    }

    mutating func integer(_ value: Int) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
        afterValue = true
    }

    mutating func strings(_ values: [String]) {
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    /// The text written, in a buffer for a response body.
    func finish() -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        return buffer
    }

    private mutating func separate() {
        if afterValue { bytes.append(UInt8(ascii: ",")) }
    }
}

/// The encoder a value gets for its slot.
///
/// Its coding path is made only when asked for (an error, or a type that reads it): each encoder
/// knows its parent and its own step.
private final class JSONValueEncoder: Encoder, SingleValueEncodingContainer {
    enum Step {
        case root
        case key(any CodingKey)
        case index(Int)
    }

    let sink: JSONSink
    let slot: Int
    private let parent: JSONValueEncoder?
    private let step: Step
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    /// The container opened in the slot, so that asking again gives the same one.
    private var frame = 0
    private var frameIsObject = false

    init(sink: JSONSink, slot: Int, parent: JSONValueEncoder?, step: Step) {
        self.sink = sink
        self.slot = slot
        self.parent = parent
        self.step = step
    }

    var codingPath: [any CodingKey] {
        var path: [any CodingKey] = []
        var encoder: JSONValueEncoder? = self
        while let current = encoder {
            switch current.step {
            case .root: break
            case .key(let key): path.append(key)
            case .index(let index): path.append(JSONIndexKey(index: index))
            }
            encoder = current.parent
        }
        return path.reversed()
    }

    private func openFrame(object: Bool) -> Int {
        if frame == 0 {
            frame = sink.state.open(object: object, in: slot, codingPath)
            frameIsObject = object
        } else if frameIsObject != object {
            sink.state.fail("A value asked for both a keyed and an unkeyed container.", codingPath)
            return 0
        }
        return frame
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(JSONKeyedContainer<Key>(owner: self, frame: openFrame(object: true)))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        JSONUnkeyedContainer(owner: self, frame: openFrame(object: false))
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    // MARK: SingleValueEncodingContainer

    func encodeNil() throws { try sink.state.writeNull(in: slot, codingPath) }
    func encode(_ value: Bool) throws { try sink.state.write(value, in: slot, codingPath) }
    func encode(_ value: String) throws { try sink.state.write(value, in: slot, codingPath) }
    func encode(_ value: Double) throws { try sink.state.write(floatingPoint: value, in: slot, codingPath) }
    func encode(_ value: Float) throws { try sink.state.write(floatingPoint: value, in: slot, codingPath) }
    func encode(_ value: Int) throws { try sink.state.write(integer: value, in: slot, codingPath) }
    func encode(_ value: Int8) throws { try sink.state.write(integer: value, in: slot, codingPath) }
    func encode(_ value: Int16) throws { try sink.state.write(integer: value, in: slot, codingPath) }
    func encode(_ value: Int32) throws { try sink.state.write(integer: value, in: slot, codingPath) }
    func encode(_ value: Int64) throws { try sink.state.write(integer: value, in: slot, codingPath) }
    func encode(_ value: UInt) throws { try sink.state.write(integer: value, in: slot, codingPath) }
    func encode(_ value: UInt8) throws { try sink.state.write(integer: value, in: slot, codingPath) }
    func encode(_ value: UInt16) throws { try sink.state.write(integer: value, in: slot, codingPath) }
    func encode(_ value: UInt32) throws { try sink.state.write(integer: value, in: slot, codingPath) }
    func encode(_ value: UInt64) throws { try sink.state.write(integer: value, in: slot, codingPath) }
    func encode<T: Encodable>(_ value: T) throws { try value.encode(to: self) }
}

private struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    /// The encoder of the object's own value.
    let owner: JSONValueEncoder
    let frame: Int

    var codingPath: [any CodingKey] { owner.codingPath }

    private func begin(_ key: Key) throws -> Int {
        try owner.sink.state.begin(in: frame, key: key.stringValue, codingPath)
    }

    func encodeNil(forKey key: Key) throws {
        let slot = try begin(key)
        try owner.sink.state.writeNull(in: slot, codingPath)
    }
    func encode(_ value: Bool, forKey key: Key) throws {
        let slot = try begin(key)
        try owner.sink.state.write(value, in: slot, codingPath)
    }
    func encode(_ value: String, forKey key: Key) throws {
        let slot = try begin(key)
        try owner.sink.state.write(value, in: slot, codingPath)
    }
    func encode(_ value: Double, forKey key: Key) throws {
        let slot = try begin(key)
        try owner.sink.state.write(floatingPoint: value, in: slot, codingPath)
    }
    func encode(_ value: Float, forKey key: Key) throws {
        let slot = try begin(key)
        try owner.sink.state.write(floatingPoint: value, in: slot, codingPath)
    }
    func encode(_ value: Int, forKey key: Key) throws {
        let slot = try begin(key)
        try owner.sink.state.write(integer: value, in: slot, codingPath)
    }
    func encode(_ value: Int8, forKey key: Key) throws {
        let slot = try begin(key)
        try owner.sink.state.write(integer: value, in: slot, codingPath)
    }
    func encode(_ value: Int16, forKey key: Key) throws {
        let slot = try begin(key)
        try owner.sink.state.write(integer: value, in: slot, codingPath)
    }
    func encode(_ value: Int32, forKey key: Key) throws {
        let slot = try begin(key)
        try owner.sink.state.write(integer: value, in: slot, codingPath)
    }
    func encode(_ value: Int64, forKey key: Key) throws {
        let slot = try begin(key)
        try owner.sink.state.write(integer: value, in: slot, codingPath)
    }
    func encode(_ value: UInt, forKey key: Key) throws {
        let slot = try begin(key)
        try owner.sink.state.write(integer: value, in: slot, codingPath)
    }
    func encode(_ value: UInt8, forKey key: Key) throws {
        let slot = try begin(key)
        try owner.sink.state.write(integer: value, in: slot, codingPath)
    }
    func encode(_ value: UInt16, forKey key: Key) throws {
        let slot = try begin(key)
        try owner.sink.state.write(integer: value, in: slot, codingPath)
    }
    func encode(_ value: UInt32, forKey key: Key) throws {
        let slot = try begin(key)
        try owner.sink.state.write(integer: value, in: slot, codingPath)
    }
    func encode(_ value: UInt64, forKey key: Key) throws {
        let slot = try begin(key)
        try owner.sink.state.write(integer: value, in: slot, codingPath)
    }

    func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        let slot = try begin(key)
        try value.encode(to: JSONValueEncoder(sink: owner.sink, slot: slot, parent: owner, step: .key(key)))
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type,
        forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        valueEncoder(forKey: key).container(keyedBy: keyType)
    }

    func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        valueEncoder(forKey: key).unkeyedContainer()
    }

    func superEncoder() -> any Encoder { valueEncoder(forKey: JSONIndexKey(name: "super")) }

    func superEncoder(forKey key: Key) -> any Encoder { valueEncoder(forKey: key) }

    private func valueEncoder(forKey key: some CodingKey) -> JSONValueEncoder {
        let slot = (try? owner.sink.state.begin(in: frame, key: key.stringValue, codingPath)) ?? 0
        return JSONValueEncoder(sink: owner.sink, slot: slot, parent: owner, step: .key(key))
    }
}

private struct JSONUnkeyedContainer: UnkeyedEncodingContainer {
    /// The encoder of the array's own value.
    let owner: JSONValueEncoder
    let frame: Int
    private(set) var count = 0

    var codingPath: [any CodingKey] { owner.codingPath }

    init(owner: JSONValueEncoder, frame: Int) {
        self.owner = owner
        self.frame = frame
    }

    private mutating func begin() throws -> Int {
        count += 1
        return try owner.sink.state.begin(in: frame, key: nil, codingPath)
    }

    mutating func encodeNil() throws {
        let slot = try begin()
        try owner.sink.state.writeNull(in: slot, codingPath)
    }
    mutating func encode(_ value: Bool) throws {
        let slot = try begin()
        try owner.sink.state.write(value, in: slot, codingPath)
    }
    mutating func encode(_ value: String) throws {
        let slot = try begin()
        try owner.sink.state.write(value, in: slot, codingPath)
    }
    mutating func encode(_ value: Double) throws {
        let slot = try begin()
        try owner.sink.state.write(floatingPoint: value, in: slot, codingPath)
    }
    mutating func encode(_ value: Float) throws {
        let slot = try begin()
        try owner.sink.state.write(floatingPoint: value, in: slot, codingPath)
    }
    mutating func encode(_ value: Int) throws {
        let slot = try begin()
        try owner.sink.state.write(integer: value, in: slot, codingPath)
    }
    mutating func encode(_ value: Int8) throws {
        let slot = try begin()
        try owner.sink.state.write(integer: value, in: slot, codingPath)
    }
    mutating func encode(_ value: Int16) throws {
        let slot = try begin()
        try owner.sink.state.write(integer: value, in: slot, codingPath)
    }
    mutating func encode(_ value: Int32) throws {
        let slot = try begin()
        try owner.sink.state.write(integer: value, in: slot, codingPath)
    }
    mutating func encode(_ value: Int64) throws {
        let slot = try begin()
        try owner.sink.state.write(integer: value, in: slot, codingPath)
    }
    mutating func encode(_ value: UInt) throws {
        let slot = try begin()
        try owner.sink.state.write(integer: value, in: slot, codingPath)
    }
    mutating func encode(_ value: UInt8) throws {
        let slot = try begin()
        try owner.sink.state.write(integer: value, in: slot, codingPath)
    }
    mutating func encode(_ value: UInt16) throws {
        let slot = try begin()
        try owner.sink.state.write(integer: value, in: slot, codingPath)
    }
    mutating func encode(_ value: UInt32) throws {
        let slot = try begin()
        try owner.sink.state.write(integer: value, in: slot, codingPath)
    }
    mutating func encode(_ value: UInt64) throws {
        let slot = try begin()
        try owner.sink.state.write(integer: value, in: slot, codingPath)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let index = count
        let slot = try begin()
        try value.encode(to: JSONValueEncoder(sink: owner.sink, slot: slot, parent: owner, step: .index(index)))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        nextEncoder().container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        nextEncoder().unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { nextEncoder() }

    private mutating func nextEncoder() -> JSONValueEncoder {
        let index = count
        let slot = (try? begin()) ?? 0
        return JSONValueEncoder(sink: owner.sink, slot: slot, parent: owner, step: .index(index))
    }
}

/// An array index or `super` in a coding path.
private struct JSONIndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(index: Int) {
        stringValue = "Index \(index)"
        intValue = index
    }

    init(name: String) {
        stringValue = name
        intValue = nil
    }

    init?(stringValue: String) { self.init(name: stringValue) }

    init?(intValue: Int) { self.init(index: intValue) }
}
