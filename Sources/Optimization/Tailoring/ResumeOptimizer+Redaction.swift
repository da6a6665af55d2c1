extension ResumeOptimizer {
    /// The redaction for one request to `provider`, or `nil` when the resume goes as it is: the request
    /// says so, or (by default) the provider keeps data in process.
    func redaction(for request: OptimizationRequest, provider: any AIProvider) -> PersonalDataRedaction? {
        guard request.options.redactPersonalData ?? provider.sendsDataOffDevice else { return nil }
        return PersonalDataRedactor().redaction(of: request.resume)
    }

    /// A warning for each redacted value that the model's answer holds although it was never sent.
    /// The warning names the placeholder and the kind, not the value.
    static func unsentWarnings(_ entries: [PersonalDataRedaction.Entry]) -> [FabricationWarning] {
        entries.map { FabricationWarning(kind: .unsentPersonalData, text: "\($0.kind.rawValue) \($0.placeholder)") }
    }
}
