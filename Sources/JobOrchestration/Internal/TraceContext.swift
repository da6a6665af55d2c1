import Instrumentation
import Tracing

/// A job's trace context carried in its record (``JobRecord/traceContext``), from the submitter to the
/// worker that runs it, through the bootstrapped instrument (`InstrumentationSystem`).
enum TraceContext {
    /// The context of `context`'s span, injected as the bootstrapped instrument writes it; `nil` when it
    /// writes nothing (no instrument bootstrapped).
    static func inject(_ context: ServiceContext) -> [String: String]? {
        var carrier: [String: String] = [:]
        InstrumentationSystem.instrument.inject(context, into: &carrier, using: DictionaryInjector())
        return carrier.isEmpty ? nil : carrier
    }

    /// The context a record carries, extracted by the bootstrapped instrument; a top-level context when
    /// it carries none.
    static func extract(_ carrier: [String: String]?) -> ServiceContext {
        var context = ServiceContext.topLevel
        if let carrier {
            InstrumentationSystem.instrument.extract(carrier, into: &context, using: DictionaryExtractor())
        }
        return context
    }

    private struct DictionaryInjector: Injector {
        func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
            carrier[key] = value
        }
    }

    private struct DictionaryExtractor: Extractor {
        func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
    }
}
