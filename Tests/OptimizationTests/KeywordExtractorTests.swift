import Optimization
import XCTest

final class KeywordExtractorTests: XCTestCase {
    func testKeywords_weighRepeatedTermsHigher() {
        let job = """
            About the role
            You will build Kafka consumers, tune Kafka clusters and review Kafka schemas. Some Redis.
            """

        let keywords = KeywordExtractor().keywords(in: job)

        XCTAssertEqual(keywords.map(\.term), ["Kafka", "Redis"])
        XCTAssertGreaterThan(keywords[0].weight, keywords[1].weight)
    }

    func testKeywords_resolveAliasesToOneCanonicalTerm() {
        let job = "We run k8s and Kubernetes operators on Postgres, PostgreSQL and GCP."

        let terms = KeywordExtractor().keywords(in: job).map(\.term)

        XCTAssertEqual(terms, ["Kubernetes", "PostgreSQL", "Google Cloud"])
    }

    func testKeywords_includeUnknownTechnicalNamesButNotTheTitleLineCompany() {
        let job = """
            Data Engineer at Brightwater Logistics
            You will maintain pipelines in Dagster and write dbt models for the Brightwater warehouse.
            """

        let terms = KeywordExtractor().keywords(in: job).map(\.term)

        XCTAssertTrue(terms.contains("Dagster"))
        XCTAssertTrue(terms.contains("dbt"))
        XCTAssertFalse(terms.contains { $0.contains("Brightwater") })
    }

    func testKeywords_countGoOnlyWhenCapitalized() {
        let terms = KeywordExtractor().keywords(in: "You will go far. Services are written in Go.").map(\.term)

        XCTAssertEqual(terms, ["Go"])
    }

    func testKeywords_ignoreBenefitsSections() {
        let job = """
            Requirements
            - Swift
            Benefits
            - Free Peloton membership
            """

        let terms = KeywordExtractor().keywords(in: job).map(\.term)

        XCTAssertEqual(terms, ["Swift"])
    }
}
