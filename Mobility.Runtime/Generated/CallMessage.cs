using System.ComponentModel;

namespace Mobility.Generated;

/// <summary>Base of generated request/reply messages: its reply goes through the <see cref="CallReply{TResult}"/> it is dispatched with.</summary>
/// <typeparam name="TResult">The reply type (<see cref="NoResult"/> for handlers that return nothing).</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class CallMessage<TResult> : ProcessMessage
{
    internal override bool IsCall => true;

    internal override CallReply ReplyTo(IRemoteReplies replies, string node, long callId) => new RemoteReply<TResult>(replies, node, callId);
}
