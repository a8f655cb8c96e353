/// The toolkit's version, one for every program (`--version`), and the schema of the person
/// records they read and write. Raised with each release; CHANGES are in the git log.
public enum ToolVersion {
    public static let number = "0.4.0"
    public static let schema = 1
    /// What `--version` prints.
    public static let text = "joinedup \(number) (person record schema \(schema))"
}
