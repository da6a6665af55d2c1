/// Job descriptions from different fields, written for the tests, each with the terms the match report
/// must find, the generic words it must not report, and a short resume of someone in the field.
struct JobCase: Sendable {
    var field: String
    var job: String
    /// Terms that must be among the keywords (compared with the keyword's name or the job's phrase,
    /// case and plural ignored).
    var expected: [String]
    /// Words that must never be keywords.
    var generic: [String]
    var resume: String
}

enum JobCorpus {
    /// Words no job's keywords may hold: job-ad filler.
    static let commonGeneric = [
        "experience", "ability", "team", "environment", "skills", "years", "knowledge", "understanding",
        "candidate", "opportunity", "role", "strong", "excellent", "work", "company",
    ]

    static let cases: [JobCase] = [
        JobCase(
            field: "software",
            job: """
                Senior Backend Engineer — Quillpoint
                About the role
                You will own the services behind our search product.

                Requirements
                - 5+ years of experience with Go or Java in production
                - Kubernetes, Docker, Helm and a major cloud (GCP or AWS)
                - Experience with vector databases and embedding retrieval
                - Solid understanding of distributed systems and event-driven architecture
                - Site Reliability Engineering (SRE) practices and on-call
                Nice to have
                - Rust is a plus
                - Experience with micro-services observability using OpenTelemetry
                Benefits
                - Free lunch and a great team environment
                """,
            expected: [
                "Go", "Java", "Kubernetes", "Docker", "Helm", "Google Cloud", "AWS", "vector databases",
                "embedding retrieval", "distributed systems", "event-driven architecture", "SRE", "on-call", "Rust",
                "microservices", "OpenTelemetry",
            ],
            generic: ["lunch", "production", "practices"],
            resume: """
                Dana Okafor
                Backend engineer

                Experience
                Software Engineer — Larchmont Payments, 2019 – 2024
                • Ran Go services on Kubernetes (k8s) and Docker in GCP.
                • Built site reliability engineering dashboards and took part in the on-call rotation.

                Skills
                Go, Python, Docker, Kubernetes, PostgreSQL
                """
        ),
        JobCase(
            field: "data",
            job: """
                Data Engineer
                What you'll do
                - Build batch and streaming data pipelines in Python and SQL
                - Model the warehouse in dbt on Snowflake
                - Orchestrate jobs with Airflow
                Requirements
                - Proficiency in Python 3 and SQL
                - Experience with data quality testing and data lineage
                - Familiarity with Apache Spark or Databricks
                Nice to have
                - Knowledge of feature stores for machine learning is a bonus
                """,
            expected: [
                "Python", "SQL", "dbt", "Snowflake", "Airflow", "data quality testing", "data lineage", "Spark",
                "Databricks", "feature stores", "machine learning", "warehouse",
            ],
            generic: ["jobs", "bonus"],
            resume: """
                Lee Kim
                Data engineer

                Experience
                Data Engineer — Brightline Retail, 2020 – 2024
                • Built Airflow DAGs loading Snowflake with dbt models.
                • Wrote PySpark jobs on Databricks.

                Skills
                Python, SQL, Airflow, dbt, Snowflake
                """
        ),
        JobCase(
            field: "design",
            job: """
                Product Designer
                Responsibilities
                - Lead user research and usability testing for the checkout flow
                - Create wireframes, prototypes and high-fidelity mockups in Figma
                - Maintain our design system with engineering
                Qualifications
                - A portfolio showing interaction design and visual design work
                - Experience with accessibility standards (WCAG 2.1)
                - Comfortable presenting to stakeholders
                """,
            expected: [
                "user research", "usability testing", "checkout flow", "wireframes", "prototypes",
                "high-fidelity mockups", "Figma", "design system", "portfolio", "interaction design",
                "visual design", "accessibility standards", "WCAG 2.1",
            ],
            generic: ["stakeholders", "engineering"],
            resume: """
                Ana Ruiz
                Product designer

                Experience
                Product Designer — Fernhill Travel, 2018 – 2024
                • Ran user research and usability testing for booking.
                • Built wireframes and prototypes in Figma; kept the design system.

                Skills
                Figma, user research, prototyping
                """
        ),
        JobCase(
            field: "nursing",
            job: """
                Registered Nurse — Medical-Surgical Unit
                Requirements
                - Current RN license and BLS certification required
                - ACLS certification within 6 months of hire
                - Experience with electronic health records (EHR), Epic preferred
                Responsibilities
                - Administer medications and monitor vital signs
                - Develop care plans and provide patient education
                - Wound care and infection control according to hospital policy
                """,
            expected: [
                "RN license", "BLS certification", "ACLS certification", "electronic health records", "EHR",
                "Epic", "medications", "vital signs", "care plans", "patient education", "wound care",
                "infection control",
            ],
            generic: ["hire", "months", "policy"],
            resume: """
                Grace Mensah
                Registered nurse

                Experience
                Staff Nurse — St. Aldric Hospital, 2016 – 2024
                • Administered medications and monitored vital signs for 6 patients per shift.
                • Wrote care plans and gave patient education; charted in Epic EHR.

                Certifications
                BLS certification, RN license
                """
        ),
        JobCase(
            field: "sales",
            job: """
                Account Executive, Mid-Market
                What you bring
                - 3+ years of B2B SaaS sales experience with a track record of exceeding quota
                - Experience running the full sales cycle from prospecting to close
                - Proficiency with Salesforce and outbound prospecting tools
                - Strong negotiation and pipeline management skills
                Bonus
                - MEDDIC or Challenger sales methodology
                """,
            expected: [
                "B2B SaaS sales", "quota", "full sales cycle", "prospecting", "Salesforce", "negotiation",
                "pipeline management", "MEDDIC", "Challenger", "sales methodology",
            ],
            generic: ["track", "record", "bonus", "tools"],
            resume: """
                Sam Patel
                Account executive

                Experience
                Account Executive — Northwind SaaS, 2019 – 2024
                • Ran the full sales cycle and closed 120% of quota.
                • Managed pipeline in Salesforce.

                Skills
                Salesforce, negotiation, prospecting
                """
        ),
        JobCase(
            field: "finance",
            job: """
                Financial Analyst
                Requirements
                - Bachelor's degree in finance or accounting; CFA Level I a plus
                - Advanced Excel skills: financial modeling, pivot tables and VLOOKUP
                - Experience with budgeting, forecasting and variance analysis
                - Knowledge of GAAP and month-end close
                - Familiarity with NetSuite or SAP
                """,
            expected: [
                "finance", "accounting", "CFA", "Excel", "financial modeling", "pivot tables", "VLOOKUP",
                "budgeting", "forecasting", "variance analysis", "GAAP", "month-end close", "NetSuite", "SAP",
            ],
            generic: ["bachelor", "degree", "advanced"],
            resume: """
                Priya Shah
                Financial analyst

                Experience
                Financial Analyst — Harbor Foods, 2018 – 2024
                • Built financial models and the monthly variance analysis in Excel.
                • Led budgeting and forecasting for three regions.

                Skills
                Excel, SAP, forecasting
                """
        ),
        JobCase(
            field: "teaching",
            job: """
                Secondary Mathematics Teacher
                Requirements
                - Qualified teacher status (QTS) or a state teaching license
                - Experience with differentiated instruction and classroom management
                - Ability to plan lessons aligned with the national curriculum
                - Knowledge of formative assessment and data-driven instruction
                Desirable
                - Experience teaching AP Calculus or IB Mathematics
                """,
            expected: [
                "qualified teacher status", "QTS", "teaching license", "differentiated instruction",
                "classroom management", "lessons", "national curriculum", "formative assessment",
                "data-driven instruction", "AP Calculus", "IB Mathematics",
            ],
            generic: ["ability", "state"],
            resume: """
                Tom Becker
                Mathematics teacher

                Experience
                Mathematics Teacher — Riverside Academy, 2015 – 2024
                • Planned lessons for the national curriculum using formative assessment.
                • Used differentiated instruction and calm classroom management.

                Qualifications
                QTS, PGCE Mathematics
                """
        ),
        JobCase(
            field: "logistics",
            job: """
                Warehouse Operations Supervisor
                Responsibilities
                - Supervise inbound and outbound shipping for a 200,000 sq ft distribution center
                - Manage inventory control and cycle counts in our WMS
                - Enforce OSHA safety standards and forklift certification
                Requirements
                - Experience with lean warehousing and 5S
                - Working knowledge of SAP EWM or Manhattan WMS
                - Strong Excel and KPI reporting
                """,
            expected: [
                "outbound shipping", "distribution center", "inventory control", "cycle counts", "WMS", "OSHA",
                "safety standards", "forklift certification", "lean warehousing", "5S", "SAP EWM", "Manhattan WMS",
                "Excel", "KPI reporting",
            ],
            generic: ["sq", "ft"],
            resume: """
                Luis Ortega
                Warehouse supervisor

                Experience
                Shift Supervisor — Meridian Logistics, 2017 – 2024
                • Ran outbound shipping and cycle counts in Manhattan WMS.
                • Kept OSHA safety standards; trained forklift drivers.

                Skills
                Excel, WMS, inventory control
                """
        ),
        JobCase(
            field: "marketing",
            job: """
                Growth Marketing Manager
                Requirements
                - Experience with paid social, SEO and SEM campaigns
                - Hands-on with Google Analytics 4 and HubSpot marketing automation
                - A/B testing and conversion rate optimization (CRO)
                - Email marketing and lifecycle campaigns
                Nice to have
                - SQL for marketing attribution is a plus
                """,
            expected: [
                "paid social", "SEO", "SEM campaigns", "Google Analytics", "HubSpot", "marketing automation",
                "A/B testing", "conversion rate optimization", "CRO", "email marketing", "lifecycle campaigns",
                "SQL", "marketing attribution",
            ],
            generic: ["plus"],
            resume: """
                Mia Laurent
                Growth marketer

                Experience
                Marketing Manager — Pinecone Apps, 2019 – 2024
                • Ran SEO and paid social campaigns; A/B testing on landing pages.
                • Built lifecycle campaigns in HubSpot.

                Skills
                HubSpot, Google Analytics, SEO
                """
        ),
        JobCase(
            field: "customer support",
            job: """
                Customer Support Specialist
                What you'll do
                - Resolve tickets by email, chat and phone in Zendesk
                - Escalate bugs to the product team with clear reproduction steps
                - Write help center articles
                What we're looking for
                - Excellent written communication
                - Experience with SLA management and CSAT metrics
                - Familiarity with Jira and basic SQL is a plus
                """,
            expected: [
                "tickets", "Zendesk", "bugs", "reproduction steps", "help center articles", "communication",
                "SLA management", "CSAT metrics", "Jira", "SQL",
            ],
            generic: ["product", "clear"],
            resume: """
                Noah Fischer
                Support specialist

                Experience
                Support Agent — Cobalt Software, 2020 – 2024
                • Resolved 60 tickets a day in Zendesk within SLA.
                • Wrote help center articles and filed bugs in Jira.

                Skills
                Zendesk, Jira, communication
                """
        ),
        JobCase(
            field: "mechanical engineering",
            job: """
                Mechanical Design Engineer
                Requirements
                - Proficiency in SolidWorks and GD&T
                - Experience with finite element analysis (FEA) and design for manufacturing (DFM)
                - Knowledge of injection molding and sheet metal
                - Bachelor's degree in mechanical engineering
                Preferred
                - Experience with ISO 9001 quality systems
                """,
            expected: [
                "SolidWorks", "GD&T", "finite element analysis", "FEA", "design for manufacturing",
                "injection molding", "sheet metal", "mechanical engineering", "ISO 9001", "quality systems",
            ],
            generic: ["bachelor", "degree"],
            resume: """
                Eva Novak
                Mechanical engineer

                Experience
                Design Engineer — Kestrel Robotics, 2017 – 2024
                • Designed sheet metal enclosures in SolidWorks with GD&T.
                • Ran FEA on brackets for design for manufacturing reviews.

                Education
                B.S. in Mechanical Engineering, 2016
                """
        ),
        JobCase(
            field: "human resources",
            job: """
                HR Business Partner
                Requirements
                - Experience with employee relations and performance management
                - Knowledge of employment law and HRIS systems such as Workday
                - Talent acquisition and onboarding programs
                - SHRM-CP or PHR certification preferred
                """,
            expected: [
                "employee relations", "performance management", "employment law", "HRIS systems", "Workday",
                "talent acquisition", "onboarding programs", "SHRM-CP", "PHR certification",
            ],
            generic: ["programs"],
            resume: """
                Olivia Brown
                HR business partner

                Experience
                HR Generalist — Summit Foods, 2016 – 2024
                • Handled employee relations and performance management for 400 staff.
                • Ran onboarding programs in Workday.

                Certifications
                PHR certification
                """
        ),
        JobCase(
            field: "construction",
            job: """
                Construction Project Manager
                Responsibilities
                - Manage commercial construction projects from preconstruction through closeout
                - Build schedules in Primavera P6 and track budgets
                - Coordinate subcontractors and review RFIs and submittals
                Requirements
                - OSHA 30 certification
                - Experience reading blueprints and with Procore
                """,
            expected: [
                "commercial construction projects", "preconstruction", "closeout", "Primavera P6", "budgets",
                "subcontractors", "RFIs", "submittals", "OSHA 30", "blueprints", "Procore",
            ],
            generic: ["schedules"],
            resume: """
                Ethan Clarke
                Project manager

                Experience
                Project Manager — Granite Build Co, 2014 – 2024
                • Ran commercial construction projects with Primavera P6 schedules.
                • Reviewed RFIs and submittals in Procore.

                Certifications
                OSHA 30
                """
        ),
    ]
}
