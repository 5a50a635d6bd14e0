/// One member of a tar archive, with GNU long names and PAX `path`/`linkpath`/`size` applied.
public struct TarEntry: Sendable, Equatable {
    /// What the entry is.
    public enum Kind: Sendable, Equatable {
        case file, directory, symlink, hardlink
        /// A character or block device or a FIFO: never extracted.
        case special(Character)
        /// A GNU sparse file (tar type `S`, or PAX `GNU.sparse.*` records): not supported.
        case sparse
    }

    /// The path as the archive names it (not yet checked).
    public var path: String
    public var kind: Kind
    /// Permission bits from the header (before sanitizing).
    public var mode: UInt32
    /// Content size in bytes (files only; zero otherwise).
    public var size: Int64
    /// The target of a symlink or hard link.
    public var linkTarget: String

    public init(path: String, kind: Kind, mode: UInt32, size: Int64, linkTarget: String = "") {
        self.path = path
        self.kind = kind
        self.mode = mode
        self.size = size
        self.linkTarget = linkTarget
    }
}
