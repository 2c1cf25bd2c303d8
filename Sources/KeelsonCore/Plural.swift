/// Counted nouns in messages: `1 error`, `3 errors`.
public enum Plural {
    /// `count` and `noun`, with an `s` unless there is exactly one.
    public static func count(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
