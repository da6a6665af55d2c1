import Hummingbird
import Prometheus

/// `GET /metrics` (`--metrics`): every metric of the process in Prometheus' text format. No token, like
/// `/health`: expose it only where your scraper can reach it, or put it behind your proxy's rules.
struct MetricsRoute: Sendable {
    let registry: PrometheusCollectorRegistry

    func register(on router: Router<ServerRequestContext>) {
        router.get("/metrics") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
            )
        }
    }
}
