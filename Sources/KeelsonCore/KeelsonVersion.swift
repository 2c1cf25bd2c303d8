/// Keelson's own version.
public enum KeelsonVersion {
    public static let current = "0.1.0"
}
