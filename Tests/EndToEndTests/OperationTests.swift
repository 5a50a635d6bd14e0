import Testing

/// Issue 6's end-to-end checks: leader election across `model-operator run` processes, the
/// metrics and probe endpoints, and fairness under a large initial list. Serialized: each test
/// runs operator processes or thousands of objects, and lease timings need a CPU to themselves
/// more than they need to overlap. The tests are in extensions, one file per concern.
@Suite("Production operation", .serialized)
struct OperationTests {}
