import Foundation

/// ISO 8601 UTC timestamps with milliseconds (`2024-07-23T18:00:00.000Z`), formatted and parsed
/// without locale or formatter objects, so they are cheap and identical on every platform.
@usableFromInline
enum Timestamp {
    /// The current time, rounded to the millisecond so it survives a round trip through text.
    static func now() -> Date {
        rounded(Date())
    }

    /// Rounds a date to the millisecond.
    static func rounded(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds(date)) / 1000)
    }

    /// Milliseconds since 1970, rounded to the nearest (so that `Double` noise never loses one).
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// The length of the text: `2024-07-23T18:00:00.000Z`.
    @usableFromInline static let textLength = 24

    /// Formats `2024-07-23T18:00:00.000Z`.
    static func format(_ date: Date) -> String {
        String(unsafeUninitializedCapacity: textLength) { write(date, into: $0) }
    }

    /// Writes ``format(_:)``'s ``textLength`` bytes to the start of `buffer`; returns their count.
    @usableFromInline
    static func write(_ date: Date, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var writer = ASCIIWriter(buffer)
        writer.appendTimestamp(date)
        return writer.count
    }

    /// The UTC calendar fields of a date rounded to the millisecond.
    fileprivate static func fields(
        of date: Date
    ) -> (year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64, millisecond: Int64) {
        let millis = milliseconds(date)
        var days = millis / 86_400_000
        var rest = millis % 86_400_000
        if rest < 0 {
            rest += 86_400_000
            days -= 1
        }
        let (year, month, day) = civil(fromDays: days)
        return (year, month, day, rest / 3_600_000, (rest / 60_000) % 60, (rest / 1000) % 60, rest % 1000)
    }

    /// Parses `2024-07-23T18:00:00.000Z` (the fraction may have 0 to 9 digits); `nil` for anything else.
    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var millis: Int64 = 0
        if bytes.count > 20 {
            guard bytes[19] == UInt8(ascii: "."), bytes.count - 21 >= 1, bytes.count - 21 <= 9,
                let fraction = number(20..<(bytes.count - 1))
            else { return nil }
            var scaled = fraction
            let digits = bytes.count - 21
            if digits < 3 {
                for _ in digits..<3 { scaled *= 10 }
            } else {
                for _ in 3..<digits { scaled /= 10 }
            }
            millis = scaled
        } else if bytes.count != 20 {
            return nil
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        let total = ((days * 24 + hour) * 60 + minute) * 60 + second
        return Date(timeIntervalSince1970: Double(total * 1000 + millis) / 1000)
    }

    // Howard Hinnant's algorithms for the proleptic Gregorian calendar.
    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

extension ASCIIWriter {
    /// `2024-07-23T18:00:00.000Z`, ``Timestamp/textLength`` bytes.
    mutating func appendTimestamp(_ date: Date) {
        let fields = Timestamp.fields(of: date)
        appendField(fields.year, count: 4)
        append(UInt8(ascii: "-"))
        appendField(fields.month, count: 2)
        append(UInt8(ascii: "-"))
        appendField(fields.day, count: 2)
        append(UInt8(ascii: "T"))
        appendField(fields.hour, count: 2)
        append(UInt8(ascii: ":"))
        appendField(fields.minute, count: 2)
        append(UInt8(ascii: ":"))
        appendField(fields.second, count: 2)
        append(UInt8(ascii: "."))
        appendField(fields.millisecond, count: 3)
        append(UInt8(ascii: "Z"))
    }

    /// A calendar field's last `count` digits, zero-padded (0 if negative).
    private mutating func appendField(_ value: Int64, count: Int) {
        appendDigits(UInt64(max(0, value)), count: count)
    }
}
