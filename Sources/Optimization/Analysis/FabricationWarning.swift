/// A claim in the tailored resume that the original resume does not support, or a fact of the original
/// that the tailored resume lost (the `dropped…` kinds).
public struct FabricationWarning: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What kind of claim it is, as a value a program can switch on.
    public struct Kind: Hashable, Sendable, Codable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable, CaseIterable {
            case newOrganization
            case newDate
            case newNumber
            case newCredential
            case unsupportedSkill
            case inflatedTitle
            case droppedOrganization
            case droppedDate
            case droppedNumber
            case droppedCredential
            case unsentPersonalData
            case droppedPersonalData
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// An employer, school or other organisation the resume does not name.
        public static let newOrganization = Kind(.newOrganization)
        /// A year or month-and-year the resume does not have, such as a shifted date range.
        public static let newDate = Kind(.newDate)
        /// A number or metric (percentage, amount of money, count) the resume does not have.
        public static let newNumber = Kind(.newNumber)
        /// A degree or certification the resume does not list.
        public static let newCredential = Kind(.newCredential)
        /// A skill the resume never mentions, typically copied from the job description (keyword stuffing).
        public static let unsupportedSkill = Kind(.unsupportedSkill)
        /// A job title with a rank the resume never claims, such as "Senior" or "Lead" added to a title.
        public static let inflatedTitle = Kind(.inflatedTitle)

        /// An employer, school or other organisation of the resume that the tailored text no longer names.
        public static let droppedOrganization = Kind(.droppedOrganization)
        /// A year or month-and-year of the resume (one end of a date range) missing from the tailored text.
        public static let droppedDate = Kind(.droppedDate)
        /// A number or metric of the resume missing from the tailored text.
        public static let droppedNumber = Kind(.droppedNumber)
        /// A degree or certification of the resume missing from the tailored text.
        public static let droppedCredential = Kind(.droppedCredential)
        /// A personal detail that was redacted before the model call but appears in the model's answer
        /// as it is: the model had it from somewhere else. The warning's text names the kind and the
        /// placeholder (`email [[EMAIL_1]]`), never the value.
        public static let unsentPersonalData = Kind(.unsentPersonalData)
        /// Personal data that was redacted before the model call and that the model's answer lost
        /// entirely: not one placeholder came back, so the tailored resume has none of the name and contact
        /// details. The warning's text lists the kinds and placeholders (`name [[NAME]], email [[EMAIL_1]]`),
        /// never the values.
        public static let droppedPersonalData = Kind(.droppedPersonalData)

        /// The kinds that report a fact of the resume the tailored text lost.
        public static let droppedKinds: Set<Kind> = [
            .droppedOrganization, .droppedDate, .droppedNumber, .droppedCredential, .droppedPersonalData,
        ]

        /// Whether this kind reports a lost fact rather than an added claim.
        public var isDropped: Bool { Self.droppedKinds.contains(self) }

        /// Every kind the guard reports.
        public static let allCases: [Kind] = Base.allCases.map(Kind.init)

        /// A stable identifier, such as `newNumber`, for logs and JSON.
        public var identifier: String { base.rawValue }
        public var description: String { base.rawValue }

        /// Decodes a kind from its ``identifier``.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            let identifier = try container.decode(String.self)
            guard let base = Base(rawValue: identifier) else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "Unknown fabrication warning kind '\(identifier)'."
                )
            }
            self.base = base
        }

        /// Encodes the kind as its ``identifier``.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(base.rawValue)
        }

        /// How a person would name the kind, such as "new number".
        var phrase: String {
            switch base {
            case .newOrganization: "organisation not in the resume"
            case .newDate: "date not in the resume"
            case .newNumber: "number not in the resume"
            case .newCredential: "degree or certification not in the resume"
            case .unsupportedSkill: "skill not in the resume"
            case .inflatedTitle: "title rank not in the resume"
            case .droppedOrganization: "organisation of the resume dropped"
            case .droppedDate: "date of the resume dropped"
            case .droppedNumber: "number of the resume dropped"
            case .droppedCredential: "degree or certification of the resume dropped"
            case .unsentPersonalData: "personal data the model was never sent"
            case .droppedPersonalData: "personal data of the resume dropped (no placeholder came back)"
            }
        }
    }

    /// What kind of claim it is.
    public var kind: Kind
    /// The offending text as it appears in the tailored resume, such as `35%` or `Globex Corporation`;
    /// for a dropped fact, as it appears in the original resume.
    public var text: String

    /// Creates a warning.
    public init(kind: Kind, text: String) {
        self.kind = kind
        self.text = text
    }

    /// A sentence for a person, such as `number not in the resume: "35%"`.
    ///
    /// It quotes only text the tailored resume contains, so show it only to the resume's owner.
    public var message: String { "\(kind.phrase): \"\(text)\"" }

    public var description: String { "FabricationWarning.\(kind)(\"\(text)\")" }
}
