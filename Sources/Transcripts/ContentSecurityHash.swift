import Crypto
import Foundation

/// The Content-Security-Policy source that pins an inline style or script by its SHA-256 (swift-crypto).
public enum ContentSecurityHash {
    /// `'sha256-…'` for `text`, as a CSP source.
    public static func source(of text: String) -> String {
        "'sha256-\(Data(SHA256.hash(data: Data(text.utf8))).base64EncodedString())'"
    }
}
