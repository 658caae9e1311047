namespace Mobility;

/// <summary>Why a process ended, as a <see cref="Down"/> notification or an <see cref="ExitSignal"/> tells it.</summary>
public enum ExitReason : byte
{
    /// <summary>It stopped normally: <c>Stop()</c>, <see cref="ProcessRef.StopAsync"/>, or its node stopping.</summary>
    Normal = 0,

    /// <summary>
    /// It stopped abnormally: <c>Stop(exception)</c>, its start hook threw, a handler threw and it stops on unhandled
    /// exceptions (<see cref="MobileProcessAttribute.StopOnUnhandledException"/>), or a linked process failed and it did
    /// not trap exits (the error type and message tell which).
    /// </summary>
    Exception = 1,

    /// <summary>The node it was last known on went down (or left the cluster): it may still be running, unreachable.</summary>
    NoConnection = 2,

    /// <summary>It was not running when the monitor or link was asked for (already stopped, or never existed).</summary>
    NoProcess = 3,
}
