import Metrics

/// The verification gate's metrics: `model_operator_verifications_total{result}`,
/// `model_operator_verification_failures_total{reason}`, `model_operator_download_bytes_total`
/// and `model_operator_download_duration_seconds`.
struct VerificationMetrics: Sendable {
    let succeeded = Counter(label: "model_operator_verifications_total", dimensions: [("result", "verified")])
    let failed = Counter(label: "model_operator_verifications_total", dimensions: [("result", "failed")])
    /// Downloads stopped because no model waited for them any more.
    let cancelled = Counter(label: "model_operator_verifications_total", dimensions: [("result", "cancelled")])
    let bytes = Counter(label: "model_operator_download_bytes_total")
    let duration = Timer(label: "model_operator_download_duration_seconds", preferredDisplayUnit: .seconds)

    func failure(reason: String) -> Counter {
        Counter(label: "model_operator_verification_failures_total", dimensions: [("reason", reason)])
    }
}
