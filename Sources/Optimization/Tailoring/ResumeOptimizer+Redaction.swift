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

    /// A warning when the model's answer brought back none of the placeholders it was sent: the tailored
    /// resume lost every redacted value. The warning lists the kinds and placeholders, not the values.
    /// None when the fact check's ``FabricationGuard/Configuration/kinds`` leave the kind out.
    func droppedPersonalDataWarnings(
        _ redaction: PersonalDataRedaction?,
        _ restoration: PersonalDataRedaction.Restoration?
    ) -> [FabricationWarning] {
        guard configuration.factCheck.kinds.contains(.droppedPersonalData),
            let redaction, let restoration, !redaction.isEmpty,
            restoration.missing.count == redaction.entries.count
        else { return [] }
        let text = redaction.entries.sorted { $0.order < $1.order }
            .map { "\($0.kind.rawValue) \($0.placeholder)" }.joined(separator: ", ")
        return [FabricationWarning(kind: .droppedPersonalData, text: text)]
    }
}
