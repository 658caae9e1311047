namespace Mobility.Transport;

/// <summary>What <see cref="FrameCodec.TryReadFrame"/> found at the start of a buffer.</summary>
internal enum FrameReadStatus
{
    /// <summary>A whole frame: its payload was returned and the buffer advanced past it.</summary>
    Complete,

    /// <summary>Not a whole frame yet: read more bytes and try again.</summary>
    Incomplete,

    /// <summary>The header announces a payload larger than allowed: close the connection, do not read on.</summary>
    TooLarge,
}
