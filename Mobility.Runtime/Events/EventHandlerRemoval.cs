namespace Mobility;

/// <summary>Why an event handler left its manager.</summary>
public enum EventHandlerRemovalReason
{
    /// <summary>Removed by <c>RemoveHandlerAsync</c>.</summary>
    Removed,

    /// <summary>Replaced by <c>SwapHandlerAsync</c>.</summary>
    Swapped,

    /// <summary>It threw while handling an event or a call.</summary>
    Failed,

    /// <summary>Its manager stopped.</summary>
    ManagerStopped,
}

/// <summary>How an event handler left its manager, given to <see cref="IEventHandler{TEvent}.OnRemoved"/>.</summary>
/// <param name="Reason">Why it left.</param>
/// <param name="Exception">For <see cref="EventHandlerRemovalReason.Failed"/>, what it threw.</param>
public sealed record EventHandlerRemoval(EventHandlerRemovalReason Reason, Exception? Exception = null);
