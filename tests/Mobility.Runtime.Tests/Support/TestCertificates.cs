using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mobility.Tests.Support;

/// <summary>Self-signed certificates made on the spot (nothing installed, nothing downloaded).</summary>
internal static class TestCertificates
{
    public static X509Certificate2 Create(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false)); // server and client authentication
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), password: null);
    }

    /// <summary>TLS options that present <paramref name="own"/> and trust exactly the certificates given (pinning).</summary>
    public static MobilityTlsOptions Pinned(X509Certificate2 own, bool requireClientCertificate = false, params X509Certificate2[] trusted) => new()
    {
        ServerCertificate = own,
        ClientCertificate = own,
        RequireClientCertificate = requireClientCertificate,
        RemoteCertificateValidation = (certificate, _, _) => trusted.Any(known => known.Thumbprint == new X509Certificate2(certificate).Thumbprint),
    };
}
