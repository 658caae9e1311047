using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Mobility.Transport;

namespace Mobility;

/// <summary>
/// TLS for a node's connections (<see cref="MobilityOptions.Tls"/>): when set, every connection the node accepts
/// or opens, to its cluster and to other clusters, runs over TLS, and the cookie or migration-secret handshake
/// runs inside it. All nodes that talk to each other must agree on using it.
/// </summary>
public sealed class MobilityTlsOptions
{
    /// <summary>The certificate (with its private key) the node presents when it accepts connections. Required to listen.</summary>
    public X509Certificate2? ServerCertificate { get; set; }

    /// <summary>The certificate the node presents when it connects, if the other side asks for one.</summary>
    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>Whether connecting nodes must present a certificate that passes validation.</summary>
    public bool RequireClientCertificate { get; set; }

    /// <summary>
    /// Judges the other side's certificate. Null (the default): the platform's validation, a chain to a trusted
    /// root for the expected host name. Set it to pin certificates or trust a private authority.
    /// </summary>
    public Func<X509Certificate, X509Chain?, SslPolicyErrors, bool>? RemoteCertificateValidation { get; set; }

    internal Transport.TlsSettings ToSettings() =>
        new(ServerCertificate, ClientCertificate, RequireClientCertificate, RemoteCertificateValidation);
}
