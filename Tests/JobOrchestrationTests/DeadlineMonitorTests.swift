import Foundation
@testable import JobOrchestration
import XCTest

final class DeadlineMonitorTests: XCTestCase {
    func testMonitor_firesDueDeadlinesInOrderAndSkipsCancelledOnes() async throws {
        let monitor = DeadlineMonitor()
        let early = AsyncEvent<AttemptSignal>()
        let late = AsyncEvent<AttemptSignal>()
        let cancelled = AsyncEvent<AttemptSignal>()
        let never = AsyncEvent<AttemptSignal>()
        let now = ContinuousClock.now

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await monitor.run() }
            _ = monitor.schedule(late, signal: .deadlineExceeded, at: now.advanced(by: .milliseconds(40)))
            _ = monitor.schedule(early, signal: .timedOut, at: now.advanced(by: .milliseconds(10)))
            let token = monitor.schedule(cancelled, signal: .timedOut, at: now.advanced(by: .milliseconds(20)))
            _ = monitor.schedule(never, signal: .timedOut, at: now.advanced(by: .seconds(3600)))
            monitor.cancel(token)

            let earlyValue = await early.wait()
            XCTAssertNil(late.value, "a later deadline has not fired yet")
            let lateValue = await late.wait()
            XCTAssertEqual(earlyValue, .timedOut)
            XCTAssertEqual(lateValue, .deadlineExceeded)
            try await Task.sleep(for: .milliseconds(5))
            XCTAssertNil(cancelled.value)
            XCTAssertNil(never.value)
            XCTAssertEqual(monitor.pendingCount, 1)
            monitor.stop()
            try await group.waitForAll()
        }
    }

    func testMonitor_withManyCancelledDeadlines_compactsItsHeap() {
        let monitor = DeadlineMonitor()
        let far = ContinuousClock.now.advanced(by: .seconds(3600))
        for _ in 0..<10_000 {
            monitor.cancel(monitor.schedule(AsyncEvent(), signal: .timedOut, at: far))
        }
        XCTAssertEqual(monitor.pendingCount, 0)
        XCTAssertLessThanOrEqual(monitor.heapCount, 65)
    }
}

final class EncodingTests: XCTestCase {
    func testBase64URL_roundTripsEveryLengthWithoutPaddingOrUnsafeCharacters() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 251) }
            let text = Encoding.base64URL(bytes)
            XCTAssertNil(text.rangeOfCharacter(from: CharacterSet(charactersIn: "+/=")))
            XCTAssertEqual(
                text,
                Data(bytes).base64EncodedString()
                    .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                    .replacingOccurrences(of: "=", with: "")
            )
            XCTAssertEqual(Encoding.decodeBase64URL(text), bytes)
        }
        XCTAssertNil(Encoding.decodeBase64URL("ab+c"))
        XCTAssertNil(Encoding.decodeBase64URL("a"), "one character cannot hold a byte")
    }

    func testHexAndUUIDText_matchFoundation() {
        let uuid = UUID()
        XCTAssertEqual(JobID(uuid: uuid).description, uuid.uuidString.lowercased())
        XCTAssertEqual(Encoding.hex([0x00, 0x0f, 0xa5, 0xff]), "000fa5ff")
    }
}
