using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Mobility.Transport;

/// <summary>
/// Computes and checks the handshake proofs: HMAC-SHA256 keyed with the UTF-8 bytes of the cookie over a
/// fixed, canonical layout of what both sides said, so the cookie itself never crosses the wire.
/// </summary>
/// <remarks>
/// Layout of the proof material (integers little-endian, strings UTF-8 with a 4-byte length prefix):
/// <c>label ("server" or "client", ASCII) | protocol version (int32) | purpose (1 byte) |
/// client nonce (32 bytes) | server nonce (32 bytes) | client name | server name</c>.
/// The label keeps one side's proof from being reflected as the other's; the two fresh nonces make
/// every proof good for one connection only (a replayed handshake fails); version and purpose are bound
/// too, so a relay cannot change what the client asked for.
/// </remarks>
internal static class HandshakeProof
{
    /// <summary>The size of a proof, in bytes.</summary>
    public const int Size = HMACSHA256.HashSizeInBytes;

    /// <summary>The label of the proof the server sends.</summary>
    public const string ServerLabel = "server";

    /// <summary>The label of the proof the client sends.</summary>
    public const string ClientLabel = "client";

    /// <summary>Computes the proof that <paramref name="label"/>'s side knows <paramref name="cookie"/>.</summary>
    public static byte[] Compute(
        string cookie,
        string label,
        int protocolVersion,
        ConnectionPurpose purpose,
        ReadOnlySpan<byte> clientNonce,
        ReadOnlySpan<byte> serverNonce,
        string clientName,
        string serverName)
    {
        int labelLength = Encoding.ASCII.GetByteCount(label);
        int clientNameLength = Encoding.UTF8.GetByteCount(clientName);
        int serverNameLength = Encoding.UTF8.GetByteCount(serverName);
        int length = labelLength + sizeof(int) + 1 + clientNonce.Length + serverNonce.Length
            + sizeof(int) + clientNameLength + sizeof(int) + serverNameLength;

        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        byte[] key = Encoding.UTF8.GetBytes(cookie);
        try
        {
            Span<byte> material = rented.AsSpan(0, length);
            int at = Encoding.ASCII.GetBytes(label, material);
            BinaryPrimitives.WriteInt32LittleEndian(material[at..], protocolVersion);
            at += sizeof(int);
            material[at++] = (byte)purpose;
            clientNonce.CopyTo(material[at..]);
            at += clientNonce.Length;
            serverNonce.CopyTo(material[at..]);
            at += serverNonce.Length;
            at += WriteString(material[at..], clientName, clientNameLength);
            at += WriteString(material[at..], serverName, serverNameLength);

            byte[] proof = new byte[Size];
            HMACSHA256.HashData(key, material[..at], proof);
            return proof;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Compares a received proof with the expected one in constant time.</summary>
    public static bool Matches(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> received) =>
        CryptographicOperations.FixedTimeEquals(expected, received);

    private static int WriteString(Span<byte> destination, string value, int byteCount)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, byteCount);
        Encoding.UTF8.GetBytes(value, destination[sizeof(int)..]);
        return sizeof(int) + byteCount;
    }
}
