import Foundation

/// Which `resume_gateway_url` a shard may connect to. The URL arrives in READY and is stored with the session;
/// the shard then sends its token there in RESUME. Whoever can write the session store (or tamper with READY)
/// must not be able to send the token to a host of their choosing, so a resume URL is only accepted when it
/// stays with the configured gateway:
/// - `wss`, or `ws` only when the configured gateway itself is `ws` (the local emulator);
/// - no user info, query or fragment;
/// - for a named host: the configured host or another host of its domain (Discord resumes at
///   `gateway-us-east1-b.discord.gg` for `gateway.discord.gg`), on the default port or the configured one;
/// - for an IP address or `localhost`: exactly the configured host and port.
/// Anything else is refused and the session resumes through the configured URL instead.
public enum GatewayResumeURL {
    public static func accepted(_ candidate: String, configuredGateway: String) -> String? {
        guard candidate.utf8.count <= 512, let resume = URLComponents(string: candidate),
            let configured = URLComponents(string: configuredGateway),
            let resumeHost = resume.host?.lowercased(), !resumeHost.isEmpty,
            let configuredHost = configured.host?.lowercased(),
            resume.user == nil, resume.password == nil, resume.query == nil, resume.fragment == nil,
            let scheme = resume.scheme?.lowercased(), scheme == "wss" || (scheme == "ws" && configured.scheme == "ws")
        else { return nil }
        if isLiteralAddress(configuredHost) {
            guard resumeHost == configuredHost, resume.port == configured.port else { return nil }
            return candidate
        }
        guard resume.port == nil || resume.port == configured.port || resume.port == 443 else { return nil }
        let domain = configuredHost.split(separator: ".").suffix(2).joined(separator: ".")
        guard resumeHost == configuredHost || resumeHost.hasSuffix("." + domain), domain.contains(".") else {
            return nil
        }
        return candidate
    }

    private static func isLiteralAddress(_ host: String) -> Bool {
        host == "localhost" || host.hasPrefix("[") || host.contains(":")
            || host.split(separator: ".").allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }
}
