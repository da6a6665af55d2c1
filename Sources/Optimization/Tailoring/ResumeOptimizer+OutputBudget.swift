extension ResumeOptimizer.Configuration {
    /// The output-token limit of the first model call for a resume of `resume`'s size.
    ///
    /// A tailored resume is about as long as the original, so the limit is ``outputTokensPerResumeToken``
    /// times the resume's estimated tokens (``ResumeOptimizer/estimatedTokens(in:)``), at least
    /// ``minimumOutputTokens`` and at most ``maximumOutputTokens``. A model that rambles past a sensible
    /// length then stops within seconds instead of writing to the end of its context.
    public func outputTokenLimit(forResume resume: String) -> Int {
        let estimate = Double(ResumeOptimizer.estimatedTokens(in: resume)) * max(0, outputTokensPerResumeToken)
        let wanted = Int(estimate.rounded(.up))
        let ceiling = max(1, maximumOutputTokens)
        return min(ceiling, max(minimumOutputTokens, wanted))
    }

    /// The output-token limit of the one retry after an answer was cut off at `limit`: twice `limit`,
    /// at most ``retryMaximumOutputTokens`` (and never less than `limit`).
    public func retryOutputTokenLimit(after limit: Int) -> Int {
        max(limit, min(retryMaximumOutputTokens, limit.multipliedReportingOverflow(by: 2).partialValue))
    }
}

extension ResumeOptimizer {
    /// A quick estimate of the tokens `text` takes: one token per four UTF-8 bytes, rounded up. Close
    /// enough for English with the common tokenizers, and never zero for non-empty text.
    public static func estimatedTokens(in text: String) -> Int {
        (text.utf8.count + 3) / 4
    }
}
