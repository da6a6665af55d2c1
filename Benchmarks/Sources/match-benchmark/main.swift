import Foundation
import Optimization

// Times the match report (keyword extraction from the job + matching and gap explanations against the
// resume) for a two-page resume and a one-page job description, next to a floor: lower-casing both texts,
// splitting them into words and intersecting the word sets, which any keyword match must at least do.
//
//   swift run -c release --package-path Benchmarks match-benchmark

let job = """
    Senior Backend Engineer — Quillpoint
    About the role
    You will own the services behind our search and recommendations product, working with product, data
    science and design. Our stack is Go and Kotlin on Kubernetes in Google Cloud, with PostgreSQL, Kafka and
    a vector database for embedding retrieval.

    Requirements
    - 5+ years of experience with Go, Java or Kotlin in production
    - Kubernetes, Docker, Helm and a major cloud (GCP or AWS)
    - Experience with vector databases and embedding retrieval
    - Solid understanding of distributed systems and event-driven architecture
    - Site Reliability Engineering (SRE) practices, on-call and incident response
    - PostgreSQL performance tuning and data modeling
    - Stream processing with Kafka or Flink
    - Clear written communication and code reviews

    Responsibilities
    - Design and build APIs that serve 40,000 requests per second
    - Own observability: metrics, tracing and alerting with OpenTelemetry and Grafana
    - Mentor engineers and lead technical design reviews
    - Improve CI/CD pipelines and infrastructure as code with Terraform

    Nice to have
    - Rust is a plus
    - Experience with micro-services observability and service meshes (Istio)
    - Machine learning serving, feature stores or A/B testing
    Benefits
    - Remote-friendly, learning budget, and a great team environment
    """

let resumeBlock = """
    Software Engineer — Larchmont Payments, Seattle, WA
    March 2019 – Present
    • Built Go services on Kubernetes (k8s) in GCP that handle 25,000 requests per second.
    • Designed the change data capture pipeline from PostgreSQL to Kafka Streams with Debezium.
    • Cut p99 latency by 35% through Postgres query tuning and connection pooling.
    • Ran the on-call rotation and wrote incident reviews; introduced SLOs with Prometheus and Grafana.
    • Moved CI from Jenkins to GitHub Actions; kept infrastructure in Terraform modules.
    • Mentored three engineers and led design reviews for the ledger migration.

    Backend Engineer — Corvid Freight, Denver, CO
    June 2016 – February 2019
    • Wrote Java and Kotlin microservices for shipment tracking with Spring Boot and gRPC.
    • Built the event-driven architecture on RabbitMQ, later Kafka, for 2 million events a day.
    • Added OpenTelemetry tracing across 30 services and dashboards for the operations team.
    • Migrated batch jobs from cron to Airflow; documented runbooks.

    """
let resume = """
    JORDAN RIVERA
    jordan.rivera@example.com | (415) 555-0134 | linkedin.com/in/jordanrivera

    Summary
    Backend engineer with eight years of payments and logistics systems in Go, Java and Kotlin.

    Experience
    \(String(repeating: resumeBlock, count: 3))
    Education
    B.S. in Computer Science, University of Colorado, 2016

    Skills
    Go, Java, Kotlin, Python, PostgreSQL, Kafka, Kubernetes, Docker, Terraform, GCP, AWS, gRPC, Prometheus
    """

func measure(iterations: Int, _ body: () -> Int) -> (median: Double, sink: Int) {
    var samples: [Double] = []
    var sink = 0
    let clock = ContinuousClock()
    for _ in 0..<iterations {
        let start = clock.now
        sink &+= body()
        let elapsed = start.duration(to: clock.now)
        samples.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
    }
    samples.sort()
    return (samples[samples.count / 2], sink)
}

let analyzer = MatchAnalyzer()
let iterations = 200
// Warm up.
_ = measure(iterations: 20) { analyzer.report(resume: resume, jobDescription: job).score }
let library = measure(iterations: iterations) {
    let report = analyzer.report(resume: resume, jobDescription: job)
    return report.score + report.gaps.count
}
let floor = measure(iterations: iterations) {
    let words = { (text: String) in Set(text.lowercased().split { !$0.isLetter && !$0.isNumber }) }
    return words(job).intersection(words(resume)).count
}
let report = analyzer.report(resume: resume, jobDescription: job)
let resumeWords = resume.split { $0.isWhitespace }.count
let jobWords = job.split { $0.isWhitespace }.count
print(
    "match-benchmark: resume \(resumeWords) words (~2 pages), job \(jobWords) words (~1 page), \(iterations) runs, median"
)
print(String(format: "  match report (extract + match + gaps):   %7.3f ms   (target < 5 ms)", library.median))
print(String(format: "  floor (lower-case, split, intersect):     %7.3f ms", floor.median))
print(
    "  keywords: \(report.matched.count + report.missing.count), matched \(report.matched.count), score \(report.score)"
)
print(library.median < 5 ? "  OK: under the 5 ms target" : "  OVER the 5 ms target")
_ = library.sink &+ floor.sink
