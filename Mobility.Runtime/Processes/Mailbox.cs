using System.Threading.Tasks.Sources;

namespace Mobility.Processes;

/// <summary>
/// A process's mailbox: any thread writes, the process's loop alone reads. Small when idle (no buffer until the first
/// message), and waiting for messages allocates nothing: the loop awaits this object itself, reset for every wait.
/// The loop takes everything written so far in one step and then reads it without the lock, so a burst of messages
/// costs the reader one lock acquisition.
/// </summary>
internal sealed class Mailbox : IValueTaskSource<bool>
{
    private readonly Lock _gate = new();
    private ManualResetValueTaskSourceCore<bool> _wait = new() { RunContinuationsAsynchronously = true };
    private Queue<Envelope>? _incoming; // written under the lock
    private Queue<Envelope>? _taken;    // the reader's: read without the lock
    private CancellationTokenRegistration _waitCancellation;
    private bool _readerWaiting;
    private bool _completed;

    /// <summary>Messages written that the reader has not taken into its batch yet (all of them, before the loop starts).</summary>
    public int Unread
    {
        get
        {
            lock (_gate)
            {
                return _incoming?.Count ?? 0;
            }
        }
    }

    /// <summary>Adds a message; false once the mailbox is completed (the process stopped or moved away).</summary>
    public bool TryWrite(Envelope envelope)
    {
        long unnumbered = 0;
        return TryWrite(ref envelope, ref unnumbered, numbered: false);
    }

    /// <summary>
    /// Numbers the envelope from <paramref name="lastSequence"/> (always, even when it returns false) and adds it, in
    /// one step: writers that number from one counter enqueue in the order of their numbers.
    /// </summary>
    public bool TryWrite(ref Envelope envelope, ref long lastSequence) => TryWrite(ref envelope, ref lastSequence, numbered: true);

    private bool TryWrite(ref Envelope envelope, ref long lastSequence, bool numbered)
    {
        lock (_gate)
        {
            if (numbered)
            {
                envelope = envelope with { Sequence = Interlocked.Increment(ref lastSequence) }; // others number from it without this lock
            }

            if (_completed)
            {
                return false;
            }

            (_incoming ??= new Queue<Envelope>()).Enqueue(envelope);
            if (!_readerWaiting)
            {
                return true;
            }

            _readerWaiting = false;
        }

        _wait.SetResult(true);
        return true;
    }

    /// <summary>Takes the oldest message (the reader only).</summary>
    public bool TryRead(out Envelope envelope)
    {
        if (_taken is { Count: > 0 } taken)
        {
            envelope = taken.Dequeue();
            return true;
        }

        lock (_gate)
        {
            if (_incoming is not { Count: > 0 } batch)
            {
                envelope = default;
                return false;
            }

            _incoming = _taken;
            _taken = batch;
        }

        envelope = _taken.Dequeue();
        return true;
    }

    /// <summary>
    /// Completes with true once a message can be read, or false once the mailbox is completed and empty (the reader
    /// only, one wait at a time).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default)
    {
        if (_taken is { Count: > 0 })
        {
            return new ValueTask<bool>(true);
        }

        lock (_gate)
        {
            if (_incoming is { Count: > 0 })
            {
                return new ValueTask<bool>(true);
            }

            if (_completed)
            {
                return new ValueTask<bool>(false);
            }

            _wait.Reset();
            _readerWaiting = true;
        }

        if (cancellationToken.CanBeCanceled)
        {
            // Rare (a sequence gap's deadline): the wait's version keeps a late callback from cancelling a later wait.
            var version = _wait.Version;
            _waitCancellation = cancellationToken.UnsafeRegister(static (state, token) =>
            {
                var (mailbox, version) = ((Mailbox, short))state!;
                mailbox.CancelWait(version, token);
            }, (this, version));
        }

        return new ValueTask<bool>(this, _wait.Version);
    }

    /// <summary>Accepts no more messages; a waiting reader learns it (what was written can still be read).</summary>
    public bool TryComplete()
    {
        lock (_gate)
        {
            if (_completed)
            {
                return false;
            }

            _completed = true;
            if (!_readerWaiting)
            {
                return true;
            }

            _readerWaiting = false;
        }

        _wait.SetResult(false); // the reader was waiting, so nothing is left to read
        return true;
    }

    bool IValueTaskSource<bool>.GetResult(short token)
    {
        _waitCancellation.Unregister();
        _waitCancellation = default;
        return _wait.GetResult(token);
    }

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _wait.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _wait.OnCompleted(continuation, state, token, flags);

    private void CancelWait(short version, CancellationToken token)
    {
        lock (_gate)
        {
            if (!_readerWaiting || _wait.Version != version)
            {
                return; // a message or the completion got there first
            }

            _readerWaiting = false;
        }

        _wait.SetException(new OperationCanceledException(token));
    }
}
