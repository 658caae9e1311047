using Mobility.Processes;

namespace Mobility.Monitoring;

/// <summary>How a process ended, as its watchers and links are told.</summary>
internal readonly record struct ExitInfo(ExitReason Reason, string? ErrorType, string? ErrorMessage)
{
    public static ExitInfo Normal => new(ExitReason.Normal, null, null);

    public bool IsNormal => Reason == ExitReason.Normal;

    public static ExitInfo From(Exception exception) =>
        new(ExitReason.Exception, RemoteErrors.TypeOf(exception), exception.Message);

    public static ExitInfo NoConnection(string node) =>
        new(ExitReason.NoConnection, null, $"node '{node}' went down");

    public static ExitInfo NoProcess => new(ExitReason.NoProcess, null, null);
}
