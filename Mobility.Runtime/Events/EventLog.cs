using Microsoft.Extensions.Logging;

namespace Mobility.Events;

/// <summary>Log messages of event managers.</summary>
internal static partial class EventLog
{
    [LoggerMessage(700, LogLevel.Warning, "Event handler '{Handler}' of {Manager} threw and was removed; the manager and its other handlers go on")]
    public static partial void HandlerFailed(ILogger logger, ProcessRef manager, string handler, Exception exception);

    [LoggerMessage(701, LogLevel.Warning, "OnRemoved of event handler '{Handler}' of {Manager} threw; the handler is removed anyway")]
    public static partial void RemovedHookFailed(ILogger logger, ProcessRef manager, string handler, Exception exception);

    [LoggerMessage(702, LogLevel.Debug, "Event handler '{Handler}' ({HandlerType}) added to {Manager}")]
    public static partial void HandlerAdded(ILogger logger, ProcessRef manager, string handler, string handlerType);

    [LoggerMessage(703, LogLevel.Debug, "Event handler '{Handler}' left {Manager}: {Reason}")]
    public static partial void HandlerRemoved(ILogger logger, ProcessRef manager, string handler, EventHandlerRemovalReason reason);
}
