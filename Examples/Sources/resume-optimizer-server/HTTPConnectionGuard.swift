import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Guards each HTTP/1.1 connection below the router, where the framework's routes cannot reach:
///
/// - **Header timeout**: a request's head (request line and headers) must be complete within
///   `headerTimeout` of the connection opening or of the previous response, however slowly its bytes
///   trickle in (the idle timeout alone is reset by every byte, so a client sending a header byte every
///   few seconds would hold the connection for good).
/// - **Body timeout**: a request's body must be complete within `bodyTimeout` of its head.
/// - **Refusals of the HTTP parser are JSON**: a request the parser refuses before any route sees it
///   gets `{"message": …}` with 431 for headers over the size limit and 400 otherwise, then the
///   connection closes (instead of an empty 400).
///
/// A connection past a timeout is closed: the client was too slow to be answered.
final class HTTPConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let headerTimeout: TimeAmount
    let bodyTimeout: TimeAmount
    /// The largest request head the parser accepts, for the 431 message.
    let maximumHeaderBytes: Int

    /// When the connection is closed unless the timeout is disarmed or armed again; `nil`: no timeout runs.
    private var deadline: NIODeadline?
    /// The check of ``deadline``, scheduled at or before it. Arming again only moves the deadline (no
    /// timer is scheduled or cancelled per request): the check reschedules itself while the deadline is
    /// later, and is replaced only when a deadline comes before it.
    private var timer: Scheduled<Void>?
    private var timerFiresAt: NIODeadline = .distantFuture
    /// Requests whose head arrived and whose response has not ended.
    private var unanswered = 0
    /// Whether a request's body is still arriving.
    private var readingBody = false

    init(headerTimeout: TimeAmount, bodyTimeout: TimeAmount, maximumHeaderBytes: Int) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.maximumHeaderBytes = maximumHeaderBytes
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(headerTimeout, context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(headerTimeout, context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            unanswered += 1
            readingBody = true
            arm(bodyTimeout, context: context)
        case .body:
            break
        case .end:
            readingBody = false
            // The response is the application's business (a long poll may take its time).
            disarm()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            unanswered = max(0, unanswered - 1)
            // Answered, possibly before its body was read: the next request's head must now come in time.
            if unanswered == 0 {
                readingBody = false
                arm(headerTimeout, context: context)
            }
        }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A parse error inside a request that a route is reading (a malformed chunked body) reaches the
        // route, which answers it; one before any route saw a request is answered here.
        guard let parserError = error as? HTTPParserError, unanswered == 0 else {
            context.fireErrorCaught(error)
            return
        }
        disarm()
        let status: HTTPResponse.Status
        let message: String
        if case .headerOverflow = parserError {
            status = .requestHeaderFieldsTooLarge
            message = "The request's headers are too large; they may hold at most \(maximumHeaderBytes / 1024) KiB."
        } else {
            status = .badRequest
            message = "The request is not valid HTTP/1.1."
        }
        // Encoding an object of one string cannot fail.
        let body = (try? ServerJSONEncoder.encode(["message": message])) ?? ByteBuffer()
        let head = HTTPResponse(
            status: status,
            headerFields: [
                .contentType: ServerJSONEncoder.contentType,
                .contentLength: "\(body.readableBytes)",
                .connection: "close",
            ]
        )
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }

    private func arm(_ timeout: TimeAmount, context: ChannelHandlerContext) {
        let deadline = NIODeadline.now() + timeout
        self.deadline = deadline
        if timer == nil || timerFiresAt > deadline { schedule(at: deadline, context: context) }
    }

    private func schedule(at time: NIODeadline, context: ChannelHandlerContext) {
        timer?.cancel()
        timerFiresAt = time
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: time) { [self] in
            timer = nil
            guard let deadline else { return }
            if deadline <= NIODeadline.now() {
                self.deadline = nil
                context.channel.close(promise: nil)
            } else {
                schedule(at: deadline, context: context)
            }
        }
    }

    private func disarm() {
        deadline = nil
    }

    private func cancelTimer() {
        deadline = nil
        timer?.cancel()
        timer = nil
    }
}
