import Crypto
import Foundation

/// Checks that a webhook (or an API call) came from someone who knows the shared secret, without
/// leaking through timing how much of a forged signature or token was right.
enum WebhookSignature {
    /// Whether `hex` is the HMAC-SHA256 of `body` keyed with `secret`, written in hexadecimal.
    static func isValidHMAC(hex: String, body: Data, secret: String) -> Bool {
        guard let claimed = bytes(fromHex: hex) else { return false }
        let expected = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return constantTimeEqual(claimed, Array(expected))
    }

    /// Whether a token sent as is (GitLab's `X-Gitlab-Token`, the API's bearer token) equals the secret. Both are hashed
    /// first, so the comparison takes the same time whatever their lengths.
    static func isValidToken(_ token: String, secret: String) -> Bool {
        constantTimeEqual(Array(SHA256.hash(data: Data(token.utf8))), Array(SHA256.hash(data: Data(secret.utf8))))
    }

    /// Compares every byte whatever the first difference; lengths are not secret.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(lhs, rhs) { difference |= left ^ right }
        return difference == 0
    }

    /// The bytes of an even-length hexadecimal string in either case; nil when it is not one.
    static func bytes(fromHex hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
