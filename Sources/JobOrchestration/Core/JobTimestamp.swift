public import Foundation

/// The text form of the times in job status reports: ISO 8601 in UTC with milliseconds, such as
/// `2024-07-23T18:00:00.000Z`.
///
/// The same on every platform and locale; formatting and parsing use no formatter objects.
public enum JobTimestamp {
    /// The text of `date`, rounded to the millisecond.
    public static func text(of date: Date) -> String {
        Timestamp.format(date)
    }

    /// Calls `body` with the UTF-8 of ``text(of:)``, formatted on the stack rather than into a string.
    ///
    /// For writers of many timestamps, such as a JSON page of job history.
    @inlinable
    public static func withUTF8<Result>(
        of date: Date,
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result {
        // Inlinable, so that it is specialized where it is called; the formatting itself is not.
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Timestamp.textLength) { buffer in
            let count = Timestamp.write(date, into: buffer)
            return try body(UnsafeBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// The date a timestamp's text stands for, or `nil` if the text is not one.
    ///
    /// Accepts 1 to 9 digits of fractional seconds, or none.
    public static func date(from text: String) -> Date? {
        Timestamp.parse(text)
    }
}
