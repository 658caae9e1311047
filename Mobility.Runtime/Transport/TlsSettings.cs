using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Mobility.Transport;

/// <summary>TLS for every connection of a node: its certificates and how it judges the other side's.</summary>
internal sealed record TlsSettings(
    X509Certificate2? ServerCertificate,
    X509Certificate2? ClientCertificate,
    bool RequireClientCertificate,
    Func<X509Certificate, X509Chain?, SslPolicyErrors, bool>? Validation)
{
    /// <summary>The configured validation, or the platform's: a trusted chain for the expected name.</summary>
    public bool Validate(X509Certificate certificate, X509Chain? chain, SslPolicyErrors errors) =>
        Validation?.Invoke(certificate, chain, errors) ?? errors == SslPolicyErrors.None;
}
