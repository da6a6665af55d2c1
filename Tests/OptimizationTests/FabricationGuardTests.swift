import Optimization
import XCTest

final class FabricationGuardTests: XCTestCase {
    private let original = """
        Priya Natarajan
        priya@example.com · +1 (555) 010-7788

        Experience
        Backend Engineer — Corvid Freight, Denver, CO
        March 2020 – Present
        • Cut checkout latency by 30% by moving hot paths from Python to Go.
        • Ran four Kubernetes clusters serving 2,500 requests per second.
        • Saved $1.2M a year by consolidating PostgreSQL replicas.
        • Kept p99 latency flat during the move.
        • Trained one new hire.

        Education
        B.S. in Mathematics, University of Colorado, 2016

        Skills
        Go, Python, PostgreSQL, Kubernetes, Docker
        """
    private let job = """
        Requirements
        - Go and Java
        - Kubernetes, Kafka
        """

    private func warnings(for tailored: String) -> [FabricationWarning] {
        FabricationGuard().check(original: original, tailored: tailored, jobDescription: job)
    }

    func testCheck_whenEmployerIsAdded_reportsNewOrganization() {
        let tailored = original.replacingOccurrences(
            of: "Education",
            with: "Platform Engineer — Globex Systems, Austin, TX\nJune 2018 – February 2020\n\nEducation"
        )

        let found = warnings(for: tailored).filter { $0.kind == .newOrganization }

        XCTAssertEqual(found.map(\.text), ["Globex Systems"])
    }

    func testCheck_whenEmployerOpensItsLine_reportsNewOrganization() {
        // Without a suffix such as "Systems" and without "at": the name opens an employment line.
        let tailored = original.replacingOccurrences(
            of: "Education",
            with: """
                Globex — Platform Engineer
                Initech | Senior Developer | 2018 – 2019

                Education
                """
        )

        let found = warnings(for: tailored).filter { $0.kind == .newOrganization }

        XCTAssertEqual(found.map(\.text), ["Globex", "Initech"])
    }

    func testCheck_whenALineOpensWithASectionHeadingOrTheOriginalEmployer_reportsNoOrganization() {
        let tailored = original.replacingOccurrences(
            of: "Experience\n",
            with: """
                Summary — Backend engineer who cut checkout latency by 30%.
                Experience
                Corvid Freight — Backend Engineer, Denver, CO

                """
        )

        XCTAssertEqual(warnings(for: tailored).filter { $0.kind == .newOrganization }, [])
    }

    func testCheck_whenTitleIsGivenARankTheResumeNeverClaims_reportsInflatedTitle() {
        let tailored =
            original
            .replacingOccurrences(
                of: "Backend Engineer — Corvid Freight",
                with: "Senior Backend Engineer — Corvid Freight"
            )
            .replacingOccurrences(
                of: "Trained one new hire.",
                with: "Trained one new hire.\nLead Developer, Corvid Freight"
            )

        XCTAssertEqual(
            warnings(for: tailored),
            [
                FabricationWarning(kind: .inflatedTitle, text: "Senior Backend Engineer"),
                FabricationWarning(kind: .inflatedTitle, text: "Lead Developer"),
            ]
        )
    }

    func testCheck_whenRankWordIsNotATitleOrTheResumeHasIt_reportsNoInflatedTitle() {
        // "lead" as a verb, "senior" inside a sentence: not titles.
        let tailored = original.replacingOccurrences(
            of: "Trained one new hire.",
            with: "Trained one new hire and paired with senior engineers.\n• Lead the on-call rotation."
        )
        XCTAssertEqual(warnings(for: tailored).filter { $0.kind == .inflatedTitle }, [])

        let seniorOriginal = original.replacingOccurrences(of: "Backend Engineer —", with: "Senior Backend Engineer —")
        let rewritten = seniorOriginal.replacingOccurrences(
            of: "Experience\n",
            with: "Experience\nSr. Backend Engineer\n"
        )
        XCTAssertEqual(
            FabricationGuard().check(original: seniorOriginal, tailored: rewritten, jobDescription: job)
                .filter { $0.kind == .inflatedTitle },
            []
        )
    }

    func testCheck_whenDateRangeIsShifted_reportsNewDate() {
        let tailored = original.replacingOccurrences(of: "March 2020", with: "March 2019")

        // A shifted date is a new date and a lost one.
        XCTAssertEqual(
            warnings(for: tailored),
            [
                FabricationWarning(kind: .newDate, text: "March 2019"),
                FabricationWarning(kind: .droppedDate, text: "March 2020"),
            ]
        )
    }

    func testCheck_whenPercentageIsInvented_reportsNewNumber() {
        let tailored = original.replacingOccurrences(
            of: "PostgreSQL replicas.",
            with: "PostgreSQL replicas, improving uptime by 45%."
        )

        XCTAssertEqual(warnings(for: tailored), [FabricationWarning(kind: .newNumber, text: "45%")])
    }

    func testCheck_whenMoneyOrCountIsChanged_reportsNewNumber() {
        let tailored = original.replacingOccurrences(of: "$1.2M", with: "$2M").replacingOccurrences(
            of: "four",
            with: "six"
        )

        XCTAssertEqual(
            warnings(for: tailored),
            [
                FabricationWarning(kind: .newNumber, text: "six"), FabricationWarning(kind: .newNumber, text: "$2M"),
                FabricationWarning(kind: .droppedNumber, text: "four"),
                FabricationWarning(kind: .droppedNumber, text: "$1.2M"),
            ]
        )
    }

    func testCheck_whenTheRewriteLosesFacts_reportsEachAsDropped() {
        let tailored =
            original
            .replacingOccurrences(of: "Backend Engineer — Corvid Freight, Denver, CO\n", with: "Backend Engineer\n")
            .replacingOccurrences(of: "March 2020 – Present\n", with: "")
            .replacingOccurrences(
                of: "• Cut checkout latency by 30% by moving hot paths from Python to Go.\n",
                with: ""
            )
            .replacingOccurrences(
                of: "B.S. in Mathematics, University of Colorado, 2016",
                with: "University of Colorado, 2016"
            )

        XCTAssertEqual(
            warnings(for: tailored),
            [
                FabricationWarning(kind: .droppedOrganization, text: "Corvid Freight"),
                FabricationWarning(kind: .droppedDate, text: "March 2020"),
                FabricationWarning(kind: .droppedNumber, text: "30%"),
                FabricationWarning(kind: .droppedCredential, text: "B.S in Mathematics"),
            ]
        )
        XCTAssertTrue(warnings(for: tailored).allSatisfy(\.kind.isDropped))
        XCTAssertEqual(
            FabricationWarning(kind: .droppedNumber, text: "30%").message,
            #"number of the resume dropped: "30%""#
        )
    }

    func testCheck_whenDroppedKindsAreDisabled_reportsOnlyAddedClaims() {
        var configuration = FabricationGuard.Configuration()
        configuration.kinds.subtract(FabricationWarning.Kind.droppedKinds)
        let tailored = original.replacingOccurrences(of: "March 2020", with: "March 2019")

        XCTAssertEqual(
            FabricationGuard(configuration: configuration).check(
                original: original,
                tailored: tailored,
                jobDescription: job
            ),
            [FabricationWarning(kind: .newDate, text: "March 2019")]
        )
    }

    func testCheck_whenTheRankWordOnlyAppearsElsewhereInTheOriginal_stillReportsTheInventedTitle() {
        let mentoring = original.replacingOccurrences(of: "Trained one new hire.", with: "Mentored senior engineers.")
        let tailored = mentoring.replacingOccurrences(of: "Backend Engineer —", with: "Senior Backend Engineer —")

        XCTAssertEqual(
            FabricationGuard().check(original: mentoring, tailored: tailored, jobDescription: job),
            [FabricationWarning(kind: .inflatedTitle, text: "Senior Backend Engineer")]
        )
    }

    func testCheck_whenDegreeIsInvented_reportsNewCredential() {
        let tailored = original.replacingOccurrences(
            of: "B.S. in Mathematics",
            with: "M.S. in Computer Science, University of Colorado, 2018\nB.S. in Mathematics"
        )

        let kinds = warnings(for: tailored).map(\.kind)

        XCTAssertTrue(kinds.contains(.newCredential))
        XCTAssertTrue(kinds.contains(.newDate))
    }

    func testCheck_whenCertificationIsInvented_reportsNewCredential() {
        let tailored = original + "\n\nCertifications\nCertified Kubernetes Administrator (CKA)"

        let found = warnings(for: tailored).filter { $0.kind == .newCredential }

        XCTAssertEqual(found.map(\.text), ["Certified Kubernetes Administrator", "CKA"])
    }

    func testCheck_whenJobSkillIsStuffed_reportsUnsupportedSkill() {
        let tailored = original.replacingOccurrences(of: "Go, Python,", with: "Go, Java, Kafka, Python,")

        XCTAssertEqual(
            warnings(for: tailored),
            [
                FabricationWarning(kind: .unsupportedSkill, text: "Java"),
                FabricationWarning(kind: .unsupportedSkill, text: "Kafka"),
            ]
        )
    }

    func testCheck_whenTextIsOnlyRephrasedAndReordered_reportsNothing() {
        let tailored = """
            Priya Natarajan
            priya@example.com · +1 (555) 010-7788

            Skills
            Go, Kubernetes, k8s operations, Postgres, Python, Docker

            Professional Experience
            Backend Engineer — Corvid Freight (Denver, CO)
            Mar 2020 – Present
            • Operated 4 Kubernetes clusters handling 2.5k requests/second.
            • Reduced checkout latency 30 percent by porting hot paths from Python to Go.
            • Consolidated Postgres replicas, saving $1,200,000 per year.
            • Trained 1 new hire.
            • Kept p99 latency flat at the 99th percentile.

            Education
            Bachelor of Science in Mathematics — University of Colorado (2016)
            """

        XCTAssertEqual(warnings(for: tailored), [])
    }

    func testCheck_whenKindIsDisabled_skipsIt() {
        var configuration = FabricationGuard.Configuration()
        configuration.kinds = [.newDate]
        let tailored = original.replacingOccurrences(of: "30%", with: "60%")

        let found = FabricationGuard(configuration: configuration).check(
            original: original,
            tailored: tailored,
            jobDescription: job
        )

        XCTAssertEqual(found, [])
    }
}

final class FabricationGuardModelStyleTests: XCTestCase {
    func testCheck_whenAModelRewritesInItsUsualStyle_reportsNothing() {
        let original = """
            Jordan Rivera
            Seattle, WA · jordan.rivera@example.com · (555) 014-2231 · github.com/jrivera-dev
            Summary
            Backend engineer with six years of experience building payment and data services in Go and Python, \
            running on AWS and Kubernetes.
            Experience
            Senior Software Engineer — Larchmont Payments, Seattle, WA
            March 2021 – Present
            • Designed and shipped the card-authorization service in Go, handling 4,000 requests per second at p99 \
            latency under 80 ms.
            • Led the migration of 14 services from EC2 to Kubernetes (EKS), cutting infrastructure cost by 22%.
            • Mentored four junior engineers.
            Education
            B.S. in Computer Science, Oregon State University, 2018
            Skills
            Go, Python, SQL, PostgreSQL, Kafka, AWS (EC2, S3, Lambda, Redshift), Kubernetes, Docker
            """
        let rewritten = """
            JORDAN RIVERA
            Seattle, WA | jordan.rivera@example.com | (555) 014-2231 | github.com/jrivera-dev

            PROFESSIONAL SUMMARY
            Backend engineer with 6 years of experience building payment and data services in Go and Python on \
            AWS and Kubernetes.

            CORE SKILLS
            Go, Kubernetes (Amazon EKS), AWS (EC2, S3, AWS Lambda, Amazon Redshift), Postgres, Kafka, SQL, Python, Docker

            PROFESSIONAL EXPERIENCE
            Senior Software Engineer | Larchmont Payments | Seattle, WA | Mar 2021 – Present
            - Built and shipped the card-authorization service in Go, serving 4K requests/second with p99 latency \
            below 80ms.
            - Migrated 14 services from EC2 to Kubernetes (EKS), reducing infrastructure costs by 22 percent.
            - Mentored 4 junior engineers.

            EDUCATION
            Bachelor of Science in Computer Science | Oregon State University | 2018
            """

        let warnings = FabricationGuard().check(
            original: original,
            tailored: rewritten,
            jobDescription: "Requirements\n- Go, Kubernetes, Kafka, PostgreSQL\n- Java"
        )

        XCTAssertEqual(warnings, [])
    }
}
