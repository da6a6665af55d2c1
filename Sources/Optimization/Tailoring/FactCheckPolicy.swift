/// What happens when the fabrication guard finds claims the original resume does not support.
///
/// Without an AI provider there is no model to repair with: ``repair`` then acts like ``warn`` and
/// ``repairOrReject`` like ``reject``. (The offline tailor adds no claims, so this rarely matters.)
public enum FactCheckPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// The result completes with the warnings attached. The default.
    case warn
    /// The optimization fails with ``OptimizationError/Code-swift.struct/unsupportedClaims``, naming the claims.
    case reject
    /// One more model call asks to remove exactly those claims; what remains is attached as warnings.
    case repair
    /// Like ``repair``, but fails with ``OptimizationError/Code-swift.struct/unsupportedClaims`` if claims remain.
    case repairOrReject = "repair-or-reject"
}
