using Mobility.Diagnostics;
using Mobility.Generated;
using Mobility.Monitoring;

namespace Mobility.Processes;

/// <summary>
/// "Let it crash", for a process declared with <c>[MobileProcess(StopOnUnhandledException = true)]</c>: an exception that
/// escapes one of its handlers or hooks stops it abnormally, exactly as <c>Stop(exception)</c> from that handler would.
/// </summary>
internal sealed partial class LocalProcess
{
    private bool _crashing;

    /// <summary>
    /// An exception escaped <paramref name="source"/> (a handler, a hook or an enter callback). If the process stops on
    /// unhandled exceptions, it is now stopping: the loop stops it once back (after the call that threw has failed), with
    /// the exception as its exit reason, and drops what the handler asked for besides (a move, names).
    /// </summary>
    /// <param name="call">The reply of the call being handled, if it is a call (null for a cast or a hook).</param>
    /// <param name="source">What threw, for the log.</param>
    /// <param name="exception">What escaped.</param>
    /// <returns>True if the process stops because of it (or already does); false if it keeps running.</returns>
    private bool CrashOn(CallReply? call, string source, Exception exception)
    {
        if (_crashing)
        {
            return true;
        }

        if (!Instance.StopsOnUnhandledException
            || exception is UnhandledEventException // no handler for that event in that state: the sender's mistake
            || (exception is OperationCanceledException && call is { CallerGaveUp: true })) // the handler honoured a caller who gave up
        {
            return false;
        }

        Log.StoppingOnUnhandledException(_host.Logger, Self, source, exception);
        _crashing = true;
        _stopAsked = true;
        _stopReason = ExitInfo.From(exception);
        _moveAsked = null;
        _namesAsked = null;
        return true;
    }
}
