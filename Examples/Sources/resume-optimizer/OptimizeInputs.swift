import Foundation
import ResumeParsing

/// A resume file or job description that could not be read.
struct OptimizeInputError: Error, Sendable {
    /// What went wrong and what to do.
    var message: String
}

/// The parsed resume and the job description text, read from files.
struct OptimizeInputs: Sendable {
    var resume: ResumeDocument
    var resumeFileName: String
    var jobDescription: String

    /// The most bytes read from either file.
    static let maximumFileBytes = 10 * 1024 * 1024

    /// Reads and parses both files.
    static func load(resumePath: String, jobPath: String) throws(OptimizeInputError) -> OptimizeInputs {
        let resumeURL = URL(fileURLWithPath: resumePath)
        let resumeData = try read(resumeURL, what: "resume")
        let resume: ResumeDocument
        do {
            resume = try ResumeParser().parse(resumeData, fileNameHint: resumeURL.lastPathComponent)
        } catch {
            throw OptimizeInputError(message: "Could not read the resume \(resumePath): \(error)")
        }
        let jobData = try read(URL(fileURLWithPath: jobPath), what: "job description")
        guard let jobDescription = String(data: jobData, encoding: .utf8) else {
            throw OptimizeInputError(
                message: "The job description \(jobPath) is not UTF-8 text. Save it as a plain .txt file."
            )
        }
        return OptimizeInputs(
            resume: resume,
            resumeFileName: resumeURL.lastPathComponent,
            jobDescription: jobDescription
        )
    }

    private static func read(_ url: URL, what: String) throws(OptimizeInputError) -> Data {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw OptimizeInputError(message: "Could not open the \(what) file \(url.path): check the path.")
        }
        guard data.count <= maximumFileBytes else {
            throw OptimizeInputError(message: "The \(what) file \(url.path) is larger than 10 MiB.")
        }
        return data
    }
}
