/// A known skill or practice with its spellings and aliases.
struct VocabularyTerm: Sendable, Hashable {
    /// What the term is, for deciding which new mentions count as unsupported.
    enum Category: Sendable, Hashable {
        /// A language, framework, platform, tool or named technique.
        case technical
        /// A domain, practice or soft skill: counted for matching, flagged only when the job asks for it.
        case general
    }

    /// A stable key: the display name, lower-cased.
    var id: String
    /// How the term is shown, such as `PostgreSQL`.
    var display: String
    /// What the term is.
    var category: Category
}

/// The built-in list of skills, their aliases, stopwords and filler words.
///
/// The list is the project's own, written for it (no third-party taxonomy is bundled); it is there for
/// canonical names and aliases — extraction reads the job's own phrases as well (``KeywordExtractor``).
enum KeywordVocabulary {
    /// One way of writing a term, as normalized tokens.
    struct Form: Sendable, Hashable {
        var term: VocabularyTerm
        /// Whether the form counts only when capitalized (`Go` the language, not "go" the verb).
        var requiresCapital: Bool
    }

    /// Every form, keyed by its normalized tokens joined with spaces.
    static let forms: [String: Form] = buildForms()

    /// The most tokens any form spans.
    static let longestForm: Int = forms.keys.map { $0.split(separator: " ").count }.max() ?? 1

    /// The most tokens of the forms opening with each word.
    private static let longestFormByFirstWord: [String: Int] = {
        var longest: [String: Int] = [:]
        for key in forms.keys {
            let words = key.split(separator: " ", omittingEmptySubsequences: false)
            longest[String(words[0]), default: 0] = max(longest[String(words[0]), default: 0], words.count)
        }
        return longest
    }()

    /// The most tokens of the forms whose first token is `word` (0 when there is none).
    static func longestForm(openingWith word: String) -> Int { longestFormByFirstWord[word] ?? 0 }

    /// Terms by id.
    static let terms: [String: VocabularyTerm] = {
        var terms: [String: VocabularyTerm] = [:]
        for form in forms.values { terms[form.term.id] = form.term }
        return terms
    }()

    /// Function words that never count as keywords.
    static let stopwords: Set<String> = Set(
        """
        a about above after again against all also am an and any are as at be because been before being below \
        between both but by can could did do does doing down during each either etc few for from further had has \
        have having he her here hers herself him himself his how i if in into is it its itself just let me more \
        most my myself no nor not now of off on once only or other our ours ourselves out over own per same she \
        should so some such than that the their theirs them themselves then there these they this those through \
        to too under until up upon us very via was we were what when where which while who whom why will with \
        within without would yet you your yours yourself yourselves we'll we're you'll you're it's e.g i.e
        """.split(whereSeparator: \.isWhitespace).map { TextTokenizer.normalize(String($0)) }
    )

    /// Words common in job ads that say nothing about a skill ("strong", "experience", "years").
    static let filler: Set<String> = Set(
        """
        ability able about across advanced affirmative applicant applicants apply asset bachelor background benefit \
        benefits best bonus bring build building candidate candidates company competitive compensation comfortable \
        culture day days deep degree demonstrated desired develop developer developers design designing drive \
        employer engineer engineering engineers environment equal equivalent excellent experience experienced \
        expert expertise familiar familiarity field fast friendly full good great hand hands help high highly hire \
        hiring hybrid ideal ideally impact including join junior knowledge lead level like looking love make \
        manager member members minimum mission must new nice office onsite opportunity opportunities operate own \
        paced part passion passionate people plus position preferred principal proficiency proficient proven \
        qualification qualifications record related relevant remote requirement requirements responsibilities \
        responsibility responsible role salary senior skill skills solid staff strong success successful team teams \
        time tool tools track understanding usa use using want way well work working world year years \
        inc llc ltd corp eu uk usd eoe
        """.split(whereSeparator: \.isWhitespace).map { TextTokenizer.normalize(String($0)) }
    )

    // Each line: a display name, then aliases, separated by "|". A leading "^" marks a form that counts
    // only when capitalized.
    private static let technicalTerms = """
        ^Go | Golang
        Python
        Java
        JavaScript | JS | ECMAScript
        TypeScript | TS
        ^C
        C++ | cpp
        C# | csharp
        ^Rust
        Ruby
        PHP
        Kotlin
        ^Swift
        Objective-C
        Scala
        Elixir
        Erlang
        Haskell
        Clojure
        ^R
        MATLAB
        Perl
        Bash | shell scripting
        SQL
        PL/SQL
        T-SQL
        Lua
        Dart
        Julia
        Groovy
        F#
        COBOL
        Solidity
        HTML | HTML5
        CSS | CSS3
        Sass | SCSS
        ^React | React.js | ReactJS
        Angular | AngularJS
        Vue.js | Vue | VueJS
        Svelte
        Next.js | NextJS
        Node.js | ^Node | NodeJS
        Express.js | ^Express
        Django
        Flask
        FastAPI
        Spring Boot
        ^Spring | Spring Framework
        Ruby on Rails | ^Rails
        Laravel
        ASP.NET
        .NET | dotnet | .NET Core
        Hibernate
        jQuery
        Redux
        GraphQL
        REST APIs | REST | RESTful | REST API | RESTful API | RESTful APIs
        gRPC
        Protocol Buffers | protobuf | protobufs
        WebSockets | WebSocket
        OAuth | OAuth2 | OAuth 2.0
        OpenID Connect | OIDC
        JWT
        SOAP
        SwiftUI
        UIKit
        SwiftNIO
        Vapor
        Tailwind CSS | Tailwind
        Webpack
        Jest
        Cypress
        Playwright
        Selenium
        JUnit
        pytest
        XCTest
        PostgreSQL | Postgres | psql
        MySQL
        MariaDB
        SQLite
        SQL Server | MSSQL | Microsoft SQL Server
        ^Oracle | Oracle Database
        MongoDB | Mongo
        Redis
        Memcached
        Cassandra | Apache Cassandra
        DynamoDB
        Elasticsearch | Elastic Search
        OpenSearch
        Neo4j
        CockroachDB
        Snowflake
        BigQuery
        Redshift | Amazon Redshift
        Databricks
        ClickHouse
        Kafka | Apache Kafka
        RabbitMQ
        SQS | Amazon SQS
        SNS | Amazon SNS
        Kinesis | Amazon Kinesis
        Pulsar | Apache Pulsar
        Flink | Apache Flink
        ^Spark | Apache Spark | PySpark
        Hadoop
        ^Hive | Apache Hive
        Airflow | Apache Airflow
        dbt
        Pandas
        NumPy
        ETL
        ELT
        change data capture | CDC
        Debezium
        AWS | Amazon Web Services
        Google Cloud | GCP | Google Cloud Platform
        Azure | Microsoft Azure
        EC2 | Amazon EC2
        S3 | Amazon S3
        AWS Lambda | ^Lambda
        ECS | Amazon ECS
        EKS | Amazon EKS
        Fargate
        CloudFormation
        CloudWatch
        IAM
        GKE
        AKS
        Heroku
        Cloudflare
        Kubernetes | k8s | kube
        Docker
        ^Helm
        Terraform
        Pulumi
        Ansible
        ^Chef
        ^Puppet
        Jenkins
        GitHub Actions
        GitLab CI | GitLab CI/CD
        CircleCI
        Argo CD | ArgoCD
        CI/CD | CI-CD | CICD | continuous integration | continuous delivery | continuous deployment
        Git
        Linux
        Unix
        Nginx
        ^Envoy
        Istio
        Consul
        ^Vault | HashiCorp Vault
        Prometheus
        Grafana
        Datadog
        New Relic
        Splunk
        ELK | ELK stack
        OpenTelemetry | OTel
        Jaeger
        Sentry
        PagerDuty
        microservices | microservice | micro-services | microservice architecture
        serverless
        infrastructure as code | IaC
        PCI DSS | PCI-DSS | PCI
        SOC 2 | SOC2
        HIPAA
        GDPR
        ISO 27001
        ISO 9001
        Google Analytics | GA4 | Google Analytics 4
        HubSpot
        Zendesk
        Workday
        NetSuite
        SolidWorks
        AutoCAD
        Procore
        Epic | Epic EHR
        Adobe Creative Suite | Adobe CC
        Photoshop | Adobe Photoshop
        Illustrator | Adobe Illustrator
        Sketch
        Shopify
        Marketo
        QuickBooks
        SOX
        TLS | SSL
        OWASP
        SAML
        SSO | single sign-on
        RBAC
        machine learning | ML
        deep learning
        TensorFlow
        PyTorch
        scikit-learn | sklearn
        Keras
        NLP | natural language processing
        computer vision
        LLMs | LLM | large language models | large language model
        MLOps
        iOS
        Android
        React Native
        Flutter
        Xcode
        Jetpack Compose
        TDD | test-driven development
        BDD | behavior-driven development
        domain-driven design | DDD
        event sourcing
        CQRS
        Jira
        Confluence
        Figma
        Tableau
        Looker
        Power BI
        ^Excel | Microsoft Excel
        Salesforce
        SAP
        """

    private static let generalTerms = """
        payments | payment | payment processing | payments processing
        fintech
        e-commerce | ecommerce
        backend | back-end | back end
        frontend | front-end | front end
        full stack | full-stack | fullstack
        APIs | API
        API design
        system design
        distributed systems | distributed system | distributed computing
        event-driven architecture | event-driven | event driven
        stream processing | streaming | event streaming
        data pipelines | data pipeline
        data engineering
        data warehouse | data warehousing
        data modeling | data modelling
        data science
        analytics
        statistics
        fraud detection
        recommendation systems | recommender systems
        A/B testing | A/B tests | A/B test
        high-throughput | high throughput
        low latency | low-latency
        real-time | realtime
        scalability | scalable | scaling
        high availability | highly available
        fault tolerance | fault-tolerant
        performance tuning | performance optimization
        caching
        load balancing | load balancer | load balancers
        concurrency | multithreading | multi-threading
        message queues | message queue | message broker | message brokers
        observability
        monitoring
        incident response | incident management
        on-call | on call | oncall | on-call rotation
        SRE | site reliability engineering | site reliability
        DevOps
        security
        compliance | compliance frameworks
        encryption
        penetration testing
        threat modeling | threat modelling
        design reviews | design review | technical design reviews | technical design review
        code reviews | code review
        unit testing | unit tests | unit test
        integration testing | integration tests
        automated testing | test automation
        object-oriented programming | OOP | object-oriented design
        functional programming
        data structures
        algorithms
        design patterns
        Agile
        Scrum
        Kanban
        mentoring | mentor | mentored | mentorship
        leadership | technical leadership
        communication | communication skills
        collaboration | cross-functional collaboration
        stakeholder management
        project management
        product management
        problem solving | problem-solving
        """

    private static func buildForms() -> [String: Form] {
        var forms: [String: Form] = [:]
        for (list, category) in [(technicalTerms, VocabularyTerm.Category.technical), (generalTerms, .general)] {
            for line in list.split(separator: "\n") {
                let spellings = line.split(separator: "|").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
                guard let first = spellings.first else { continue }
                let display = first.hasPrefix("^") ? String(first.dropFirst()) : first
                let term = VocabularyTerm(id: display.lowercased(), display: display, category: category)
                for spelling in spellings {
                    let requiresCapital = spelling.hasPrefix("^")
                    let text = requiresCapital ? String(spelling.dropFirst()) : spelling
                    let key = TextTokenizer.tokens(in: text).map(\.normalized).joined(separator: " ")
                    guard !key.isEmpty, forms[key] == nil else { continue }
                    forms[key] = Form(term: term, requiresCapital: requiresCapital)
                }
            }
        }
        return forms
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !TextSearch.isWhitespace($0) }),
            let last = lastIndex(where: { !TextSearch.isWhitespace($0) })
        else { return "" }
        return String(self[first...last])
    }
}
