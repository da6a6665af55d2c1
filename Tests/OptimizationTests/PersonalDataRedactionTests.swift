import Foundation
import Logging
import Optimization
import ResumeParsing
import XCTest

/// Personal data stays home: placeholders go to the model, the originals come back.
final class PersonalDataRedactionTests: XCTestCase {
    /// A resume of the test set with the contact details that must never reach the model.
    struct Sample {
        var name: String
        var document: ResumeDocument
        /// The contact details as printed: each must be redacted, then restored exactly.
        var contactDetails: [String]
        /// Employers and schools: they must reach the model.
        var kept: [String]
    }

    private static func text(_ name: String, _ text: String, contact: [String], kept: [String]) -> Sample {
        Sample(
            name: name,
            document: ResumeDocument(text: text, format: .plainText),
            contactDetails: contact,
            kept: kept
        )
    }

    static let samples: [Sample] = [
        text(
            "all-caps name",
            """
            JORDAN RIVERA
            jordan.rivera@example.com | (415) 555-0134 | linkedin.com/in/jordanrivera

            Summary
            Backend engineer building payment services in Go.

            Experience
            Software Engineer — Larchmont Payments
            March 2021 – Present
            • Mentored four junior engineers.

            References
            Available on request from Jordan Rivera or J. Rivera's former manager.
            """,
            contact: [
                "JORDAN RIVERA", "jordan.rivera@example.com", "(415) 555-0134", "linkedin.com/in/jordanrivera",
                "Jordan Rivera", "J. Rivera",
            ],
            kept: ["Larchmont Payments"]
        ),
        text(
            "particles and accents",
            """
            María José de la Fuente
            Calle de Alcalá 42, 28014 Madrid · +34 612 345 678 · mj.delafuente@correo.es

            Profile
            Data analyst with six years in retail banking.

            Experience
            Data Analyst, Banco Sabadell (2019 – 2024)
            • Built the churn dashboards in Power BI.

            Education
            Universidad Complutense de Madrid — MSc Statistics, 2018
            """,
            contact: [
                "María José de la Fuente", "Calle de Alcalá 42", "28014", "+34 612 345 678", "mj.delafuente@correo.es",
            ],
            kept: ["Banco Sabadell", "Universidad Complutense de Madrid"]
        ),
        text(
            "international phones",
            """
            Nguyễn Văn An
            Hà Nội, Việt Nam | +84 90 123 4567 | +1-206-555-0199 | github.com/nguyenvanan | an.nguyen@mail.vn

            Experience
            Senior Mobile Engineer — Tiki Corporation, 2020–2024
            • Shipped the Flutter checkout used by 3 million customers.
            """,
            contact: [
                "Nguyễn Văn An", "+84 90 123 4567", "+1-206-555-0199", "github.com/nguyenvanan", "an.nguyen@mail.vn",
            ],
            kept: ["Tiki Corporation"]
        ),
        text(
            "two emails",
            """
            Priya Raghunathan
            priya.r@gmail.com / p.raghunathan@alumni.iitm.ac.in
            Mobile: +91 98765 43210

            Summary
            Registered nurse in cardiac care.

            Experience
            Staff Nurse — Apollo Hospitals, Chennai, 2017–2023
            • Cared for 12 patients per shift in the cardiac ICU.
            """,
            contact: ["Priya Raghunathan", "priya.r@gmail.com", "p.raghunathan@alumni.iitm.ac.in", "+91 98765 43210"],
            kept: ["Apollo Hospitals"]
        ),
        text(
            "an address line",
            """
            Oliver Bennett
            221B Baker Street, London NW1 6XE
            07700 900123 · oliver.bennett@example.co.uk

            Experience
            Logistics Coordinator — Wincanton plc, 2016–2024
            • Planned 40 deliveries a day across the South East.
            """,
            contact: [
                "Oliver Bennett", "221B Baker Street", "NW1 6XE", "07700 900123", "oliver.bennett@example.co.uk",
            ],
            kept: ["Wincanton plc"]
        ),
        text(
            "a German address and a personal site",
            """
            Jürgen Müller-Lüdenscheidt
            Hauptstraße 12, 10115 Berlin
            Tel. +49 (0)30 1234567 | www.juergen-mueller.de | jm@posteo.de

            Berufserfahrung
            Controller, Siemens AG, 2012–2024
            """,
            contact: [
                "Jürgen Müller-Lüdenscheidt", "Hauptstraße 12", "10115", "+49 (0)30 1234567", "www.juergen-mueller.de",
                "jm@posteo.de",
            ],
            kept: ["Siemens AG"]
        ),
        text(
            "a French address and a portfolio",
            """
            Élodie Dubois-Laurent
            12 rue de la Paix, 75002 Paris — +33 6 12 34 56 78 — elodie.dubois@orange.fr
            Portfolio: https://elodie.design/work

            Expérience
            Product Designer — BlaBlaCar, 2019–2024
            • Redesigned booking; conversion up 14%.
            """,
            contact: [
                "Élodie Dubois-Laurent", "12 rue de la Paix", "75002", "+33 6 12 34 56 78", "elodie.dubois@orange.fr",
                "https://elodie.design/work",
            ],
            kept: ["BlaBlaCar"]
        ),
        text(
            "an apostrophe, initials and a labelled block",
            """
            Name: Seán O'Connor
            Phone: +353 87 123 4567
            Email: sean.oconnor@eircom.net
            Web: https://github.com/soconnor

            Experience
            Secondary School Teacher — Belvedere College, Dublin, 2015–2024
            • Taught mathematics to 120 students a year; S. O'Connor led the maths olympiad team.
            """,
            contact: [
                "Seán O'Connor", "+353 87 123 4567", "sean.oconnor@eircom.net", "https://github.com/soconnor",
                "S. O'Connor",
            ],
            kept: ["Belvedere College"]
        ),
    ]

    /// The .docx sample: name and links in the page header, with hyperlinks.
    static func docxSample() throws -> Sample {
        let data = WordDocument.make(
            header: [
                [.text("SOPHIE VAN DER BERG")],
                [
                    .text("sophie@vanderberg.nl | "),
                    .link("linkedin.com/in/sophievdberg", url: "https://linkedin.com/in/sophievdberg"),
                    .text(" | "),
                    .link("https://github.com/sberg", url: "https://github.com/sberg"),
                    .text(" | +31 6 1234 5678 | Keizersgracht 123, 1015 CJ Amsterdam"),
                ],
            ],
            body: [
                "Summary",
                "Sales manager for enterprise software in the Benelux.",
                "Experience",
                "Account Executive — Adyen, 2018–2024",
                "• Closed €4.2M in new annual recurring revenue.",
                "Sophie van der Berg is available from March.",
            ]
        )
        let document = try ResumeParser().parse(data, fileNameHint: "resume.docx")
        return Sample(
            name: "docx with links in the header",
            document: document,
            contactDetails: [
                "SOPHIE VAN DER BERG", "sophie@vanderberg.nl", "linkedin.com/in/sophievdberg",
                "https://github.com/sberg",
                "+31 6 1234 5678", "Keizersgracht 123", "1015 CJ", "Sophie van der Berg",
            ],
            kept: ["Adyen"]
        )
    }

    private let job = """
        Senior Engineer
        Requirements
        - Five years of experience
        - Strong communication
        """

    func testOptimize_withARemoteProvider_sendsNoContactDetailAndRestoresThemAllExactly() async throws {
        var found = 0
        var total = 0
        for sample in Self.samples + [try Self.docxSample()] {
            let provider = RecordingProvider()
            let (logger, logs) = CapturingLogHandler.logger()
            let result = try await ResumeOptimizer(provider: provider)
                .optimize(OptimizationRequest(resume: sample.document, jobDescription: job), logger: logger)

            let sent = await provider.sentText
            XCTAssertFalse(sent.isEmpty)
            for detail in sample.contactDetails {
                total += 1
                XCTAssertTrue(sample.document.text.contains(detail), "\(sample.name): the sample lacks \(detail)")
                if !sent.contains(detail) { found += 1 }
                XCTAssertFalse(sent.contains(detail), "\(sample.name): sent \(detail)")
                XCTAssertFalse(logs.text.contains(detail), "\(sample.name): logged \(detail)")
            }
            for name in sample.kept {
                XCTAssertTrue(sent.contains(name), "\(sample.name): \(name) should reach the model")
            }
            XCTAssertTrue(sent.contains("[[NAME]]"), sample.name)
            // The recording model echoes what it was sent: restored, the result is the original, exactly.
            XCTAssertEqual(result.text, OutputCleaner().clean(sample.document.text, format: .text), sample.name)
            XCTAssertTrue(result.redaction.isEnabled)
            XCTAssertEqual(result.redaction.counts[.name], 1, sample.name)
            XCTAssertEqual(result.redaction.unrestored, [], sample.name)
            XCTAssertFalse(result.warnings.contains { $0.kind == .unsentPersonalData }, sample.name)
            XCTAssertFalse(String(describing: result.redaction).contains("@"))
        }
        print("Redaction recall over the test set: \(found)/\(total) contact details")
        XCTAssertEqual(found, total)
        XCTAssertGreaterThanOrEqual(Self.samples.count + 1, 8)
    }

    func testOptimize_countsRedactedValuesByKind() async throws {
        let provider = RecordingProvider()
        let result = try await ResumeOptimizer(provider: provider)
            .optimize(
                OptimizationRequest(resume: Self.samples[3].document, jobDescription: job),
                logger: Logger(label: "t")
            )

        XCTAssertEqual(result.redaction.counts[.email], 2)
        XCTAssertEqual(result.redaction.counts[.phone], 1)
        XCTAssertEqual(result.redaction.counts[.name], 1)
        XCTAssertEqual(result.redaction.total, 4)
        XCTAssertEqual(result.redaction.description, "redacted name: 1, email: 2, phone: 1")
    }

    func testOptimize_withTheStubOrRedactionOff_sendsTheResumeAsItIs() async throws {
        let sample = Self.samples[0]
        let stub = StubProvider(replies: [.text(sample.document.text)])
        let stubResult = try await ResumeOptimizer(provider: stub)
            .optimize(OptimizationRequest(resume: sample.document, jobDescription: job), logger: Logger(label: "t"))
        let stubSent = await stub.requests.map { $0.messages.map(\.content).joined() }.joined()
        XCTAssertTrue(stubSent.contains("jordan.rivera@example.com"))
        XCTAssertEqual(stubResult.redaction, .disabled)

        let remote = RecordingProvider()
        let request = OptimizationRequest(
            resume: sample.document,
            jobDescription: job,
            options: .init(redactPersonalData: false)
        )
        let result = try await ResumeOptimizer(provider: remote).optimize(request, logger: Logger(label: "t"))
        let sent = await remote.sentText
        XCTAssertTrue(sent.contains("JORDAN RIVERA"))
        XCTAssertFalse(result.redaction.isEnabled)

        let asked = StubProvider(replies: [.text("[[NAME]]\nBackend engineer.")])
        let redacted = try await ResumeOptimizer(provider: asked).optimize(
            OptimizationRequest(resume: sample.document, jobDescription: job, options: .init(redactPersonalData: true)),
            logger: Logger(label: "t")
        )
        XCTAssertTrue(redacted.text.hasPrefix("JORDAN RIVERA\n"))
    }

    func testRestore_toleratesCaseAndSpacing_andReportsWhatItCannotMatch() throws {
        let redaction = PersonalDataRedactor().redaction(of: Self.samples[3].document)
        let sent = redaction.redact(Self.samples[3].document.text)
        XCTAssertTrue(sent.hasPrefix("[[NAME]]\n[[EMAIL_1]] / [[EMAIL_2]]\nMobile: [[PHONE_1]]"), sent)

        let restoration = redaction.restore("[[ name ]]\n[[Email-1]] and [[email_2 ]]\nCall [[PHONE_9]]")

        XCTAssertEqual(
            restoration.text,
            "Priya Raghunathan\npriya.r@gmail.com and p.raghunathan@alumni.iitm.ac.in\nCall [[PHONE_9]]"
        )
        XCTAssertEqual(restoration.unmatched, ["[[PHONE_9]]"])
        XCTAssertEqual(restoration.missing, ["[[PHONE_1]]"])
        XCTAssertFalse(String(describing: redaction).contains("Priya"))
    }

    func testOptimize_whenTheAnswerLosesOrManglesPlaceholders_reportsThemUnrestored() async throws {
        let provider = RecordingProvider { sent in
            sent.replacingOccurrences(of: "[[PHONE_1]]", with: "[[PHONE]]")
                .replacingOccurrences(of: "[[EMAIL_2]]", with: "")
        }
        let result = try await ResumeOptimizer(provider: provider)
            .optimize(
                OptimizationRequest(resume: Self.samples[3].document, jobDescription: job),
                logger: Logger(label: "t")
            )

        // `[[PHONE]]` is `[[PHONE_1]]` with its number dropped: restored safely.
        XCTAssertTrue(result.text.contains("Mobile: +91 98765 43210"))
        XCTAssertEqual(result.redaction.unrestored, ["[[EMAIL_2]]"])
    }

    func testOptimize_whenTheAnswerDropsEveryPlaceholder_warnsThatThePersonalDataWasDropped() async throws {
        let provider = RecordingProvider { sent in
            sent.replacingOccurrences(of: #"\[\[[A-Z]+(_[0-9]+)?\]\]"#, with: "", options: .regularExpression)
        }
        let result = try await ResumeOptimizer(provider: provider)
            .optimize(
                OptimizationRequest(resume: Self.samples[0].document, jobDescription: job),
                logger: Logger(label: "t")
            )

        let warning = try XCTUnwrap(result.warnings.first { $0.kind == .droppedPersonalData })
        XCTAssertTrue(warning.kind.isDropped)
        XCTAssertTrue(warning.text.contains("name [[NAME]]"), warning.text)
        XCTAssertTrue(warning.text.contains("email [[EMAIL_1]]"), warning.text)
        XCTAssertFalse(warning.message.contains("@"))
        XCTAssertFalse(warning.message.lowercased().contains("jordan"))
        XCTAssertFalse(result.text.contains("[["))

        var configuration = ResumeOptimizer.Configuration()
        configuration.factCheck.kinds.remove(.droppedPersonalData)
        let unchecked = try await ResumeOptimizer(provider: provider, configuration: configuration)
            .optimize(
                OptimizationRequest(resume: Self.samples[0].document, jobDescription: job),
                logger: Logger(label: "t")
            )
        XCTAssertFalse(unchecked.warnings.contains { $0.kind == .droppedPersonalData })
    }

    func testOptimize_whenTheAnswerKeepsSomePlaceholders_doesNotWarnThatAllWereDropped() async throws {
        let provider = RecordingProvider { sent in sent.replacingOccurrences(of: "[[EMAIL_1]]", with: "") }
        let result = try await ResumeOptimizer(provider: provider)
            .optimize(
                OptimizationRequest(resume: Self.samples[0].document, jobDescription: job),
                logger: Logger(label: "t")
            )

        XCTAssertEqual(result.redaction.unrestored, ["[[EMAIL_1]]"])
        XCTAssertFalse(result.warnings.contains { $0.kind == .droppedPersonalData })
    }

    func testOptimize_whenTheAnswerHoldsARedactedValue_warnsThatItWasNeverSent() async throws {
        let provider = RecordingProvider { sent in
            sent.replacingOccurrences(of: "[[EMAIL_1]]", with: "jordan.rivera@example.com")
        }
        let result = try await ResumeOptimizer(provider: provider)
            .optimize(
                OptimizationRequest(resume: Self.samples[0].document, jobDescription: job),
                logger: Logger(label: "t")
            )

        let warning = try XCTUnwrap(result.warnings.first { $0.kind == .unsentPersonalData })
        XCTAssertEqual(warning.text, "email [[EMAIL_1]]")
        XCTAssertFalse(warning.message.contains("@"))
    }

    func testRedactor_leavesSkillsEmployersAndDatesAlone() {
        let redaction = PersonalDataRedactor().redaction(ofText: Self.samples[0].document.text)
        let sent = redaction.redact(Self.samples[0].document.text)

        XCTAssertTrue(sent.contains("Software Engineer — Larchmont Payments"))
        XCTAssertTrue(sent.contains("March 2021 – Present"))
        XCTAssertTrue(sent.contains("payment services in Go"))
        XCTAssertTrue(
            sent.contains("[[NAME_2]] or [[NAME_3]]'s former manager"),
            sent.split(separator: "\n").suffix(1).joined()
        )
    }
}
