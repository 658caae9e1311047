using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Mobility.Diagnostics;

namespace Mobility.Transport.Tests.Support;

/// <summary>Keeps every log entry of one side (server or client) in memory so tests can assert on logged reasons.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public LogCapture()
    {
        Factory = LoggerFactory.Create(logging => logging.AddProvider(this).SetMinimumLevel(LogLevel.Trace));
    }

    public ILoggerFactory Factory { get; }

    public IReadOnlyCollection<LogEntry> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    /// <summary>Whether an entry at <paramref name="level"/> contains every one of <paramref name="fragments"/>.</summary>
    public bool Has(LogLevel level, params string[] fragments) =>
        _entries.Any(entry => entry.Level == level && fragments.All(fragment => entry.Message.Contains(fragment, StringComparison.Ordinal)));

    /// <summary>Waits (with the test deadline) until <see cref="Has"/> holds; entries may be written by another task.</summary>
    public Task WaitForAsync(LogLevel level, params string[] fragments) =>
        Wait.UntilAsync(() => Has(level, fragments), $"a {level} log containing \"{string.Join("\", \"", fragments)}\" (got: {Describe()})");

    public string Describe() => string.Join(" | ", _entries.Select(entry => $"{entry.Level}: {entry.Message}"));

    public void Dispose()
    {
    }

    internal sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);

    private sealed class CapturingLogger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._entries.Enqueue(new LogEntry(category, logLevel, eventId, formatter(state, exception), exception));
    }
}
