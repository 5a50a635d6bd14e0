import Foundation

/// What the commands print for a person at a terminal.
enum Console {
    /// Writes a line to standard output unbuffered, so it shows up at once when piped.
    static func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
