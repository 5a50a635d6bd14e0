import ServiceLifecycle

/// swift-service-lifecycle's `Service` (a long-running part of the process), named apart from
/// Kubernetes' Service object, which `KubeModel` also calls `Service`.
public typealias LifecycleService = ServiceLifecycle.Service
