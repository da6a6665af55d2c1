import Foundation
import Hummingbird

// The speed floor the server's routes are compared with (Scripts/server-benchmark.sh): bare
// Hummingbird answering `GET /json` with a fixed JSON object of the size given, no middleware.
//
//   bare-hummingbird PORT BYTES

let arguments = CommandLine.arguments
guard arguments.count == 3, let port = Int(arguments[1]), let size = Int(arguments[2]), size >= 16 else {
    FileHandle.standardError.write(Data("usage: bare-hummingbird PORT BYTES\n".utf8))
    exit(2)
}

struct Payload: ResponseEncodable {
    var status: String
    var message: String
    var padding: String
}

// `{"status":"COMPLETED","message":"ok","padding":"…"}` padded to `size` bytes.
let overhead = #"{"status":"COMPLETED","message":"ok","padding":""}"#.utf8.count
let payload = Payload(
    status: "COMPLETED",
    message: "ok",
    padding: String(repeating: "x", count: max(0, size - overhead))
)

let router = Router()
router.get("/json") { _, _ in payload }
let app = Application(
    router: router,
    configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "bare-hummingbird")
)
try await app.runService()
