public import Optimization
public import ResumeParsing

// The library's errors as job failures, so that every job kind that parses or tailors resumes ends
// with the same codes as ``ResumeOptimizationJob``: a program switches on `report.errorCode` with
// the constants below (`case .emptyInput`, `case .providerRateLimited`) instead of comparing strings.

extension JobFailure {
    /// The failure for a resume that could not be read: the parsing error's code and message.
    public init(_ error: ResumeParsingError) {
        self.init(code: Code(error.code), message: error.message)
    }

    /// The failure for a refused or failed optimization: its code and message, or for a provider
    /// failure `provider` followed by the provider error's kind (``Code/providerRateLimited``, …).
    ///
    /// Retrying has one owner: a transient provider failure (rate limit, 5xx, timeout, connection) is
    /// retried by the provider's own `RetryPolicy`, so the job retries it only when the provider sent the
    /// request once (`AIProviderError/attempts` is 1: a provider without retries, or `RetryPolicy.none`).
    /// With the defaults (two provider retries, three job attempts) one failing request is sent 3 times,
    /// not 9.
    public init(_ error: OptimizationError) {
        if let providerError = error.providerError, error.code == .provider {
            self.init(
                code: Code(providerError.kind),
                message: error.message,
                isRetryable: providerError.isRetryable && providerError.attempts <= 1,
                retryAfter: providerError.retryAfter
            )
        } else {
            self.init(code: Code(error.code), message: error.message, isRetryable: error.isRetryable)
        }
    }

    /// The failure for a provider error thrown outside the optimizer: the same failure as when the
    /// optimizer meets it: `provider` followed by its kind (a content filter and a cancelled call keep
    /// the optimizer's codes), retryable when the error is, after its `Retry-After` when it gave one.
    public init(_ error: AIProviderError) {
        self.init(OptimizationError(error))
    }

    /// The failure the library reports for `error`, or `nil` when it is none of the library's errors.
    ///
    /// A ``JobFailure`` passes through; a `ResumeParsingError`, `OptimizationError` or
    /// `AIProviderError` becomes the failure of the matching initialiser. The default
    /// ``JobKind/failure(for:)`` uses it, so a job kind that throws these errors keeps their codes.
    public static func mapping(_ error: any Error) -> JobFailure? {
        switch error {
        case let failure as JobFailure: failure
        case let error as ResumeParsingError: JobFailure(error)
        case let error as OptimizationError: JobFailure(error)
        case let error as AIProviderError: JobFailure(error)
        default: nil
        }
    }
}

extension JobFailure.Code {
    /// The code of a job that failed with this parsing error: the same identifier (`noText`, …).
    public init(_ code: ResumeParsingError.Code) {
        self.init(code.identifier)
    }

    /// The code of a job that failed with this optimization error: the same identifier
    /// (`unsupportedClaims`, …).
    public init(_ code: OptimizationError.Code) {
        self.init(code.identifier)
    }

    /// The code of a job that failed with this provider error: `provider` followed by the kind
    /// (`providerRateLimited`, …).
    public init(_ kind: AIProviderError.Kind) {
        let identifier = kind.identifier
        self.init("provider" + identifier.prefix(1).uppercased() + identifier.dropFirst())
    }

    // MARK: Reading the resume (ResumeParsingError)

    /// The uploaded file holds no bytes.
    public static let emptyInput = Self(ResumeParsingError.Code.emptyInput)
    /// The upload was not valid base64.
    public static let invalidBase64 = Self(ResumeParsingError.Code.invalidBase64)
    /// The file could not be read.
    public static let unreadableFile = Self(ResumeParsingError.Code.unreadableFile)
    /// The file is over one of `ResumeParser.Configuration`'s limits (size, entries, inflation, nesting, text).
    public static let limitExceeded = Self(ResumeParsingError.Code.limitExceeded)
    /// A recognised but unsupported format (PDF, ODT, RTF, spreadsheets, slides, images…).
    public static let unsupportedFormat = Self(ResumeParsingError.Code.unsupportedFormat)
    /// The file is a legacy binary Word document (`.doc`).
    public static let legacyWordDocument = Self(ResumeParsingError.Code.legacyWordDocument)
    /// A password-protected (encrypted) Office document.
    public static let encryptedDocument = Self(ResumeParsingError.Code.encryptedDocument)
    /// The bytes are binary data, not text.
    public static let notATextDocument = Self(ResumeParsingError.Code.notATextDocument)
    /// The zip archive is truncated or damaged.
    public static let corruptArchive = Self(ResumeParsingError.Code.corruptArchive)
    /// The archive has no word-processing main document.
    public static let missingMainDocument = Self(ResumeParsingError.Code.missingMainDocument)
    /// A required XML part is not well-formed.
    public static let malformedXML = Self(ResumeParsingError.Code.malformedXML)
    /// An XML part declares a DTD, which Office Open XML forbids.
    public static let forbiddenDocumentType = Self(ResumeParsingError.Code.forbiddenDocumentType)
    /// The document holds no readable text (for example a scanned image).
    public static let noText = Self(ResumeParsingError.Code.noText)

    // MARK: Tailoring (OptimizationError)

    /// The model returned no resume text.
    public static let emptyOutput = Self(OptimizationError.Code.emptyOutput)
    /// The model's answer was cut off by its output limit, even after a retry with more room.
    public static let truncatedOutput = Self(OptimizationError.Code.truncatedOutput)
    /// The model withheld its answer for its content policy.
    public static let contentFiltered = Self(OptimizationError.Code.contentFiltered)
    /// The tailored resume made claims the original does not support, and the fact-check policy refused it.
    public static let unsupportedClaims = Self(OptimizationError.Code.unsupportedClaims)

    // MARK: The model's provider (AIProviderError, prefixed with `provider`)

    /// The API key is missing, wrong or revoked.
    public static let providerAuthentication = Self(AIProviderError.Kind.authentication)
    /// The key may not use this model or endpoint.
    public static let providerPermissionDenied = Self(AIProviderError.Kind.permissionDenied)
    /// The model or endpoint does not exist.
    public static let providerNotFound = Self(AIProviderError.Kind.notFound)
    /// Too many requests; retried by the center.
    public static let providerRateLimited = Self(AIProviderError.Kind.rateLimited)
    /// The account has no credit left; retrying does not help.
    public static let providerQuotaExceeded = Self(AIProviderError.Kind.quotaExceeded)
    /// The provider refused the request as malformed.
    public static let providerBadRequest = Self(AIProviderError.Kind.badRequest)
    /// The prompt and output limit exceed the model's context window.
    public static let providerContextTooLong = Self(AIProviderError.Kind.contextTooLong)
    /// The provider is overloaded; retried by the center.
    public static let providerOverloaded = Self(AIProviderError.Kind.overloaded)
    /// The provider failed; retried by the center.
    public static let providerServerError = Self(AIProviderError.Kind.serverError)
    /// The provider did not answer in time; retried by the center.
    public static let providerTimeout = Self(AIProviderError.Kind.timeout)
    /// The provider could not be reached; retried by the center.
    public static let providerConnection = Self(AIProviderError.Kind.connection)
    /// The provider's answer could not be understood.
    public static let providerInvalidResponse = Self(AIProviderError.Kind.invalidResponse)
}
