using System.ComponentModel;

namespace Mobility.Generated;

/// <summary>The reply of a call whose handler returns nothing.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct NoResult
{
    /// <summary>The only value.</summary>
    public static NoResult Value => default;
}
