import NIOConcurrencyHelpers

/// What ends an attempt from outside its work.
enum AttemptSignal: Sendable, Hashable {
    /// The job was cancelled or the service is stopping.
    case stop(StopReason)
    /// The attempt ran out of time.
    case timedOut
    /// The job's overall deadline passed.
    case deadlineExceeded
}

/// One timer for all running attempts: fires each attempt's signal when its deadline passes.
///
/// A single loop (``run()``) sleeps until the earliest deadline, instead of one sleeping task per
/// attempt. Deadlines are cancelled when their attempt ends; cancelled entries are dropped lazily
/// and the heap is compacted when they dominate it.
final class DeadlineMonitor: Sendable {
    private struct Entry {
        var deadline: ContinuousClock.Instant
        var token: Int
    }

    private struct Scheduled {
        var event: AsyncEvent<AttemptSignal>
        var signal: AttemptSignal
    }

    private struct State {
        var heap: [Entry] = []
        var live: [Int: Scheduled] = [:]
        var nextToken = 0
        /// The deadline the loop sleeps until; `nil` while it waits for a first deadline.
        var sleepingUntil: ContinuousClock.Instant?
        var stopped = false
    }

    private let state = NIOLockedValueBox(State())
    private let wakeup = Wakeup()

    init() {}

    /// Fires `signal` on `event` at `deadline`, unless cancelled first. Returns a token for ``cancel(_:)``.
    func schedule(_ event: AsyncEvent<AttemptSignal>, signal: AttemptSignal, at deadline: ContinuousClock.Instant)
        -> Int
    {
        let (token, wake) = state.withLockedValue { state -> (Int, Bool) in
            state.nextToken += 1
            let token = state.nextToken
            state.live[token] = Scheduled(event: event, signal: signal)
            state.heap.append(Entry(deadline: deadline, token: token))
            Self.siftUp(&state.heap, from: state.heap.count - 1)
            let wake = state.sleepingUntil.map { deadline < $0 } ?? true
            return (token, wake)
        }
        if wake { wakeup.signal() }
        return token
    }

    /// Forgets a scheduled deadline.
    func cancel(_ token: Int) {
        state.withLockedValue { state in
            guard state.live.removeValue(forKey: token) != nil else { return }
            if state.heap.count > 64, state.heap.count > 4 * state.live.count {
                state.heap.removeAll { state.live[$0.token] == nil }
                Self.heapify(&state.heap)
            }
        }
    }

    /// Ends ``run()``.
    func stop() {
        state.withLockedValue { $0.stopped = true }
        wakeup.signal()
    }

    /// The number of deadlines waiting to fire.
    var pendingCount: Int {
        state.withLockedValue { $0.live.count }
    }

    /// The number of entries in the heap, cancelled ones included.
    var heapCount: Int {
        state.withLockedValue { $0.heap.count }
    }

    /// Fires deadlines as they pass, until ``stop()`` or cancellation.
    func run() async {
        while !Task.isCancelled {
            let now = ContinuousClock.now
            let (due, next, stopped) = state.withLockedValue {
                state -> ([Scheduled], ContinuousClock.Instant?, Bool) in
                var due: [Scheduled] = []
                while let top = state.heap.first {
                    guard let scheduled = state.live[top.token] else {
                        Self.popFirst(&state.heap)
                        continue
                    }
                    guard top.deadline <= now else { break }
                    due.append(scheduled)
                    state.live.removeValue(forKey: top.token)
                    Self.popFirst(&state.heap)
                }
                state.sleepingUntil = state.heap.first?.deadline
                return (due, state.sleepingUntil, state.stopped)
            }
            for scheduled in due { scheduled.event.set(scheduled.signal) }
            if stopped { return }
            if let next {
                await wakeup.wait(until: next)
            } else {
                await wakeup.wait()
            }
        }
    }

    // MARK: Heap

    private static func siftUp(_ heap: inout [Entry], from index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].deadline < heap[parent].deadline else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private static func siftDown(_ heap: inout [Entry], from index: Int) {
        var parent = index
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].deadline < heap[smallest].deadline { smallest = left }
            if right < heap.count, heap[right].deadline < heap[smallest].deadline { smallest = right }
            guard smallest != parent else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }

    private static func popFirst(_ heap: inout [Entry]) {
        guard !heap.isEmpty else { return }
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        siftDown(&heap, from: 0)
    }

    private static func heapify(_ heap: inout [Entry]) {
        guard heap.count > 1 else { return }
        for index in stride(from: heap.count / 2 - 1, through: 0, by: -1) {
            siftDown(&heap, from: index)
        }
    }
}
