/// The version this project's binaries were built as (`model-operator version`, the default
/// fetch image's tag).
public enum BuildInfo {
    public static let version = "0.1.0"
}
