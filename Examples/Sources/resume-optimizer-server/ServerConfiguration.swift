import Foundation
import Prometheus
import ResumeParsing

/// Settings of the HTTP layer: where to listen, who may call, and how large uploads may be.
///
/// The job system's own settings (store, workers, timeouts) are configured on the job center.
struct ServerConfiguration: Sendable {
    /// The address to bind. Default `127.0.0.1` (loopback only).
    var hostname: String = "127.0.0.1"
    /// The port to bind. Default `8080`.
    var port: Int = 8080
    /// The base of the absolute download links, such as `https://resumes.example.com`.
    /// Default: `http://<hostname>:<port>`.
    var publicURL: String?
    /// Origins allowed to call the API from a browser (`*` allows any). Default: none.
    var allowedOrigins: [String] = []
    /// The largest resume accepted, in bytes after base64 decoding. Default 5 MiB.
    var maximumResumeBytes: Int = 5 * 1024 * 1024
    /// The largest job description accepted, in UTF-8 bytes. Default 100 KB.
    var maximumJobDescriptionBytes: Int = 100_000
    /// The longest job description accepted, in characters: the optimizer's own limit, so that a
    /// description the job would refuse is refused at submission. Default 30,000.
    var maximumJobDescriptionCharacters: Int = 30_000
    /// The longest `wait` a status request may ask for. Default 30 s.
    var maximumStatusWait: Duration = .seconds(30)
    /// The most long polls (`GET /status?wait=`) one user may have waiting at once; beyond it a long
    /// poll answers at once with the current status. Default 10.
    var maximumLongPollsPerUser: Int = 10
    /// The poll interval suggested to clients in `Retry-After`. Default 3 s.
    var suggestedPollInterval: Duration = .seconds(3)
    /// The shared secret that signs `HS256` bearer tokens; the download links' key is derived from it.
    var tokenSecret: [UInt8]
    /// Key set, issuer, audience, leeway and user claim of bearer tokens.
    var tokens = TokenPolicy()
    /// The most queued and running jobs one user may have; beyond it `POST /optimize` answers 429
    /// with `Retry-After`. Default 20.
    var maximumQueuedJobsPerUser: Int = 20
    /// The most queued and running jobs in all; beyond it `POST /optimize` answers 503 with
    /// `Retry-After`. Default 10,000.
    var maximumQueuedJobs: Int = 10_000
    /// How long a connection may send nothing (no request, or a stalled header or body) before it
    /// is closed. Default 30 s.
    var idleTimeout: Duration = .seconds(30)
    /// How long a request's head (request line and headers) may take to arrive, from the connection's
    /// opening or the previous response; a slower connection is closed. Default 10 s.
    var headerTimeout: Duration = .seconds(10)
    /// How long a request's body may take to arrive after its head; a slower connection is closed.
    /// Default 120 s (a 5 MiB resume in base64 at 60 KB/s).
    var bodyTimeout: Duration = .seconds(120)
    /// The largest request head (all header lines) the HTTP parser accepts; larger ones get 431.
    /// Default 80 KiB.
    var maximumHeaderBytes: Int = 80 * 1024
    /// The most connections open at once; beyond it new connections wait in the listen backlog
    /// until one closes. Default 4,096 (keep it below the process's file descriptor limit).
    var maximumConnections: Int = 4096
    /// Whether `GET /dev/token` hands the page a ready token (`--dev`). Default: no.
    var offersDevelopmentToken = false
    /// The registry `GET /metrics` serves in Prometheus' text format, with request metrics recorded by
    /// Hummingbird's `MetricsMiddleware` (`--metrics`). Default: `nil`, no `/metrics` route.
    var metrics: PrometheusCollectorRegistry?

    /// The one parser configuration of the server: the submission's format check and the job's parse
    /// share it, with the upload limit as its input limit.
    var resumeParser: ResumeParser {
        ResumeParser(configuration: .init(maximumInputSize: maximumResumeBytes))
    }

    /// The base URL of the links the server hands out, without a trailing slash.
    var effectivePublicURL: String {
        var base = publicURL ?? "http://\(hostname):\(port)"
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    /// The most bytes a `POST /optimize` body may hold: the base64 of the largest resume, the
    /// largest job description (JSON-escaped in the worst case) and room for the field names.
    var maximumRequestBodyBytes: Int {
        (maximumResumeBytes + 2) / 3 * 4 + maximumJobDescriptionBytes * 6 + 64 * 1024
    }
}
