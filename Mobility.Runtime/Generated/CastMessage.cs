using System.ComponentModel;

namespace Mobility.Generated;

/// <summary>Base of generated fire-and-forget messages: nobody waits for a reply.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class CastMessage : ProcessMessage
{
    internal override bool IsCall => false;
}
