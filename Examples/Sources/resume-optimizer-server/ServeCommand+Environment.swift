import ArgumentParser
import Foundation

/// Every `serve` option can also come from an environment variable, for containers:
/// `RESUME_OPTIMIZER_` and the option's name in capitals (`--port` ← `RESUME_OPTIMIZER_PORT`).
///
/// The command line wins over the environment. The variables become ordinary arguments before
/// parsing, so their values are checked exactly like the options' (a bad `RESUME_OPTIMIZER_PORT`
/// is refused with the message `--port` gets).
extension ServeCommand {
    /// One option and the variable that supplies it.
    struct EnvironmentOption: Sendable {
        enum Kind: Sendable {
            /// `--name VALUE`.
            case value
            /// `--name VALUE`, repeatable; the variable holds a comma-separated list.
            case list
            /// `--name`, set by `1`, `true` or `yes`; `0`, `false`, `no` or empty leave it off.
            case flag
        }

        var option: String
        var variable: String
        var kind: Kind

        init(_ option: String, _ kind: Kind = .value, variable: String? = nil) {
            self.option = option
            self.kind = kind
            self.variable =
                variable ?? "RESUME_OPTIMIZER_" + option.uppercased().replacingOccurrences(of: "-", with: "_")
        }
    }

    /// Every option of `serve`. A test checks that this list and the options in `--help` agree.
    static let environmentOptions: [EnvironmentOption] = [
        EnvironmentOption("hostname"),
        EnvironmentOption("port"),
        EnvironmentOption("provider"),
        EnvironmentOption("model"),
        EnvironmentOption("base-url"),
        EnvironmentOption("stub-delay"),
        EnvironmentOption("store"),
        EnvironmentOption("data-dir"),
        EnvironmentOption("database-url"),
        EnvironmentOption("max-concurrent-jobs"),
        EnvironmentOption("job-timeout"),
        EnvironmentOption("public-url"),
        EnvironmentOption("allowed-origin", .list, variable: "RESUME_OPTIMIZER_ALLOWED_ORIGINS"),
        EnvironmentOption("max-resume-bytes"),
        EnvironmentOption("max-queued-per-user"),
        EnvironmentOption("max-queued"),
        EnvironmentOption("max-long-polls-per-user"),
        EnvironmentOption("drain-seconds"),
        EnvironmentOption("idle-timeout"),
        EnvironmentOption("header-timeout"),
        EnvironmentOption("body-timeout"),
        EnvironmentOption("max-connections"),
        EnvironmentOption("log-level"),
        EnvironmentOption("jwks-file"),
        EnvironmentOption("jwks-url"),
        EnvironmentOption("jwt-issuer"),
        EnvironmentOption("jwt-audience"),
        EnvironmentOption("jwt-leeway"),
        EnvironmentOption("jwt-user-claim"),
        EnvironmentOption("log-format"),
        EnvironmentOption("metrics", .flag),
        EnvironmentOption("dev", .flag),
    ]

    /// The text `serve --help` shows about the variables.
    static var environmentHelp: String {
        let lines = environmentOptions.map { option in
            let note =
                switch option.kind {
                case .value: ""
                case .list: " (comma-separated)"
                case .flag: " (1/true/yes)"
                }
            return "  \(option.variable)\(note) → --\(option.option)"
        }
        return """
            Every option can also be set by an environment variable; the command line wins. \
            RESUME_OPTIMIZER_JWT_SECRET holds the token secret.

            \(lines.joined(separator: "\n"))
            """
    }

    /// The arguments with the environment's options added where the command line has none.
    ///
    /// - Parameters:
    ///   - arguments: The command line without the executable's name.
    ///   - environment: The process environment.
    /// - Returns: `arguments` unchanged for other subcommands (`token`, `help`).
    /// - Throws: `ValidationError` for a flag variable that is not a yes or a no.
    static func addingEnvironment(to arguments: [String], environment: [String: String]) throws -> [String] {
        if let first = arguments.first,
            !first.hasPrefix("-") && first != commandName || ["-h", "--help"].contains(first)
        {
            return arguments
        }
        var result = arguments
        if result.isEmpty || result[0] != commandName { result.insert(commandName, at: 0) }
        let given = Set(arguments.map { String($0.split(separator: "=", maxSplits: 1).first ?? "") })
        for option in environmentOptions {
            guard let value = environment[option.variable], !given.contains("--\(option.option)") else { continue }
            switch option.kind {
            case .value:
                guard !value.isEmpty else { continue }
                result += ["--\(option.option)", value]
            case .list:
                for item in value.split(separator: ",") {
                    let item = item.trimmingCharacters(in: .whitespaces)
                    if !item.isEmpty { result += ["--\(option.option)", item] }
                }
            case .flag:
                switch value.lowercased() {
                case "1", "true", "yes": result.append("--\(option.option)")
                case "", "0", "false", "no": break
                default:
                    throw ValidationError("\(option.variable) must be 1, true or yes (on), or 0, false or no (off).")
                }
            }
        }
        return result
    }

    static var commandName: String { configuration.commandName ?? "serve" }
}
