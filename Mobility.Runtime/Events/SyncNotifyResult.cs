using MemoryPack;

namespace Mobility;

/// <summary>What <c>SyncNotifyAsync</c> returns once every handler has handled the event.</summary>
/// <param name="HandledBy">The ids of the handlers that handled it, in the order they got it.</param>
/// <param name="Removed">The handlers that threw on it, and were therefore removed.</param>
[MemoryPackable]
public sealed partial record SyncNotifyResult(string[] HandledBy, RemovedEventHandler[] Removed);

/// <summary>A handler removed from its manager because it threw.</summary>
/// <param name="Id">The id it had.</param>
/// <param name="ExceptionType">The full name of the exception's type.</param>
/// <param name="Message">The exception's message.</param>
[MemoryPackable]
public sealed partial record RemovedEventHandler(string Id, string ExceptionType, string Message);
