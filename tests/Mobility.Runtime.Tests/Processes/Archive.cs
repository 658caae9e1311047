namespace Mobility.Tests.Processes;

/// <summary>A process with a large state: a blob of bytes it can fill, shrink and checksum.</summary>
[MobileProcess]
public partial class Archive
{
    private byte[] _blob = [];

    /// <summary>Replaces the blob with <paramref name="length"/> bytes of a position-dependent pattern.</summary>
    [Call]
    public int Fill(int length)
    {
        _blob = new byte[length];
        for (var i = 0; i < length; i++)
        {
            _blob[i] = (byte)(i * 31 + (i >> 8));
        }

        return _blob.Length;
    }

    /// <summary>The blob's length and an order-sensitive checksum of its bytes.</summary>
    [Call]
    public (int Length, long Checksum) Describe()
    {
        long checksum = 17;
        foreach (var b in _blob)
        {
            checksum = checksum * 31 + b;
        }

        return (_blob.Length, checksum);
    }
}
