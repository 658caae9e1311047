using Mobility.Generated;

namespace Mobility.Processes;

/// <summary>
/// One mailbox item: the message (payload only) and how it travels — the sequence key of the node that sent it, its
/// number in that node's stream to the process, and, for a call, where its reply goes. A value: mailboxes, hold-back
/// buffers and move captures store it inline, so a message costs no second object.
/// </summary>
/// <param name="Message">What the process is asked to do.</param>
/// <param name="Reply">A call's reply (and the call's started/withdrawn state); null for a cast.</param>
/// <param name="Origin">The sequence key of the node that sent it; null for a message not sequenced, or admitted already.</param>
/// <param name="Sequence">Its number in its origin's stream to the target process (0: not numbered yet).</param>
internal readonly record struct Envelope(ProcessMessage Message, CallReply? Reply = null, string? Origin = null, long Sequence = 0)
{
    /// <summary>The envelope once admitted: it has taken its turn, so a capture taken before it runs does not count it twice.</summary>
    public Envelope Admitted => this with { Origin = null, Sequence = 0 };

    /// <summary>Called by the loop when it takes the message: false if its sender withdrew it first (a cast cannot be withdrawn).</summary>
    public bool TryStart() => Reply?.TryStart() ?? true;

    /// <summary>Called as it leaves for another node: false if its sender withdrew it first.</summary>
    public bool TryMarkSent() => Reply?.TryMarkSent() ?? true;

    /// <summary>Reports a failure to the sender (for a cast there is nobody to tell).</summary>
    public void Fail(Exception exception) => Reply?.Fail(exception);
}
