/// What a redacted value is: the kinds of personal data ``PersonalDataRedactor`` replaces.
public enum PersonalDataKind: String, Sendable, Hashable, Codable, CaseIterable, CodingKeyRepresentable {
    /// The candidate's name as printed, its other spellings in the text (any case), its parts and initials.
    case name
    /// An e-mail address.
    case email
    /// A phone number, in any national or international format.
    case phone
    /// A street address.
    case address
    /// A postcode or ZIP code of the contact block.
    case postcode
    /// A profile link or personal site (LinkedIn, GitHub, a portfolio, any URL).
    case link

    /// The word placeholders of this kind are made of, such as `EMAIL` in `[[EMAIL_1]]`.
    var placeholderStem: String {
        switch self {
        case .name: "NAME"
        case .email: "EMAIL"
        case .phone: "PHONE"
        case .address: "ADDRESS"
        case .postcode: "POSTCODE"
        case .link: "LINK"
        }
    }
}

/// What was redacted from one optimization: counts by kind, never the values.
public struct RedactionSummary: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Whether personal data was redacted before the model call.
    public var isEnabled: Bool
    /// How many distinct values of each kind were replaced by placeholders.
    public var counts: [PersonalDataKind: Int]
    /// Placeholders that could not be put back: sent but missing from the model's answer, or found in the
    /// answer in a form that matches no value safely (such as `[[PHONE_7]]`). Placeholder names only.
    public var unrestored: [String]

    /// Creates a summary.
    public init(isEnabled: Bool, counts: [PersonalDataKind: Int] = [:], unrestored: [String] = []) {
        self.isEnabled = isEnabled
        self.counts = counts
        self.unrestored = unrestored
    }

    /// No redaction (the offline tailor, the stub, or redaction turned off).
    public static let disabled = RedactionSummary(isEnabled: false)

    /// How many values were redacted in all.
    public var total: Int { counts.values.reduce(0, +) }

    /// For example `redacted name: 1, email: 2, phone: 1`, or `no redaction`.
    public var description: String {
        guard isEnabled else { return "no redaction" }
        let parts = PersonalDataKind.allCases.compactMap { kind in counts[kind].map { "\(kind.rawValue): \($0)" } }
        let listed = parts.isEmpty ? "nothing" : parts.joined(separator: ", ")
        return "redacted \(listed)"
            + (unrestored.isEmpty ? "" : "; not restored: \(unrestored.joined(separator: ", "))")
    }
}
