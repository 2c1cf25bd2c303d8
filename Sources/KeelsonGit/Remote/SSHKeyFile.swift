import Foundation

/// What Keelson can tell about an SSH private key file without decrypting it.
enum SSHKeyFile {
    /// Whether the key at `path` is protected by a passphrase: an OpenSSH-format key with a cipher
    /// other than `none`, or an encrypted PEM / PKCS#8 key. False when the file cannot be read.
    static func isEncrypted(atPath path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        let text = String(decoding: data, as: UTF8.self)
        if text.contains("Proc-Type: 4,ENCRYPTED") || text.contains("BEGIN ENCRYPTED PRIVATE KEY") { return true }
        let begin = "-----BEGIN OPENSSH PRIVATE KEY-----"
        let end = "-----END OPENSSH PRIVATE KEY-----"
        guard let start = text.range(of: begin), let stop = text.range(of: end, range: start.upperBound..<text.endIndex)
        else { return false }
        let body = text[start.upperBound..<stop.lowerBound].filter { !$0.isWhitespace }
        guard let blob = Data(base64Encoded: String(body)) else { return false }
        // "openssh-key-v1\0", then the cipher name as a 32-bit big-endian length and bytes.
        let magic = Array("openssh-key-v1\u{0}".utf8)
        let bytes = Array(blob)
        guard bytes.count >= magic.count + 4, Array(bytes[0..<magic.count]) == magic else { return false }
        let lengthAt = magic.count
        let length = bytes[lengthAt..<lengthAt + 4].reduce(0) { $0 << 8 | Int($1) }
        guard bytes.count >= lengthAt + 4 + length else { return false }
        let cipher = String(decoding: bytes[(lengthAt + 4)..<(lengthAt + 4 + length)], as: UTF8.self)
        return cipher != "none"
    }
}
