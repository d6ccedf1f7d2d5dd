import CLibXML2

/// Facts about the libxml2 the crawler runs on, for the bench's machine record.
public enum LibXML2Info {
    /// libxml2's version string, e.g. `2.9.14`.
    public static var version: String { LIBXML_DOTTED_VERSION }
}
