import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// An HTTP/1.1 server on 127.0.0.1 (ephemeral port) that answers from a script, for provider contract tests.
///
/// ```swift
/// let server = try await LoopbackHTTPServer.start(replies: [.init(status: 200, body: "{}")])
/// defer { server.stop() }
/// // point a provider at server.baseURL …
/// ```
final class LoopbackHTTPServer: @unchecked Sendable {
    // `lock` guards the script, the recorded requests and the open connections.

    /// One scripted response.
    struct Reply: Sendable {
        var status: Int
        var headers: [(String, String)] = [("Content-Type", "application/json")]
        var body: String
        /// How long to wait before answering; a slow server.
        var delay: Duration = .zero
    }

    /// One request as the server received it.
    struct Received: Sendable {
        var method: String
        var uri: String
        var headers: HTTPHeaders
        var body: String

        var bodyJSON: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
        }
    }

    private let lock = NSLock()
    private var replies: [Reply]
    private var _received: [Received] = []
    private var connections: [any Channel] = []
    private var serverChannel: (any Channel)?

    private init(replies: [Reply]) {
        self.replies = replies
    }

    /// The port the server listens on.
    private(set) var port = 0
    /// `http://127.0.0.1:<port>`.
    var baseURL: String { "http://127.0.0.1:\(port)" }
    /// Every request received, oldest first.
    var received: [Received] { lock.withLock { _received } }

    /// Starts a server that answers with `replies` in order, then with 500 once they run out.
    static func start(replies: [Reply]) async throws -> LoopbackHTTPServer {
        let server = LoopbackHTTPServer(replies: replies)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                server.track(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(ScriptHandler(server: server))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        server.serverChannel = channel
        server.port = channel.localAddress?.port ?? 0
        return server
    }

    /// Stops listening and closes every open connection.
    func stop() {
        let channels: [any Channel] = lock.withLock {
            let all = connections + (serverChannel.map { [$0] } ?? [])
            connections = []
            serverChannel = nil
            return all
        }
        for channel in channels {
            channel.close(promise: nil)
        }
    }

    private func track(_ channel: any Channel) {
        lock.withLock { connections.append(channel) }
    }

    fileprivate func nextReply(for request: Received) -> Reply {
        lock.withLock {
            _received.append(request)
            if replies.isEmpty {
                return Reply(status: 500, body: #"{"error":{"message":"no scripted reply","type":"server_error"}}"#)
            }
            return replies.removeFirst()
        }
    }
}

private final class ScriptHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let server: LoopbackHTTPServer
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    init(server: LoopbackHTTPServer) {
        self.server = server
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
        case .body(var chunk):
            body.writeBuffer(&chunk)
        case .end:
            guard let head else { return }
            let received = LoopbackHTTPServer.Received(
                method: head.method.rawValue,
                uri: head.uri,
                headers: head.headers,
                body: String(buffer: body)
            )
            let reply = server.nextReply(for: received)
            let respond = {
                var headers = HTTPHeaders(reply.headers)
                let bytes = ByteBuffer(string: reply.body)
                headers.replaceOrAdd(name: "Content-Length", value: String(bytes.readableBytes))
                let responseHead = HTTPResponseHead(
                    version: head.version,
                    status: HTTPResponseStatus(statusCode: reply.status),
                    headers: headers
                )
                context.write(self.wrapOutboundOut(.head(responseHead)), promise: nil)
                context.write(self.wrapOutboundOut(.body(.byteBuffer(bytes))), promise: nil)
                context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
            }
            if reply.delay > .zero {
                _ = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(reply.delay), respond)
            } else {
                respond()
            }
        }
    }
}
